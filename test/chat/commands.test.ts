import { describe, expect, it } from 'vitest';
import { Dispatcher, builtinCommands, gridPreviewText } from '../../src/chat/index.js';
import { fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices, fakePreview, gridSummary } from './fake-services.js';

function setup() {
  const services = new FakeServices();
  const dispatcher = new Dispatcher({ services, clock: new ManualClock(0) });
  const say = async (text: string) => (await dispatcher.handle('chat-1', text)).text;
  return { services, say };
}

describe('commands', () => {
  it('/help lists every command with its usage and example', async () => {
    const { services, say } = setup();
    const text = await say('/help');
    const commands = builtinCommands(services);
    expect(commands.map((c) => c.name)).toEqual([
      'start',
      'help',
      'grid',
      'grids',
      'stop',
      'positions',
      'orders',
      'pnl',
      'funding',
      'ta',
      'chart',
      'backtest',
      'balance',
      'status',
      'limits',
      'kill',
      'resume',
      'audit',
      'deadman',
    ]);
    for (const c of commands) {
      expect(text).toContain(`${c.usage}\n  ${c.summary}\n  e.g. ${c.example}`);
    }
    expect(text).toContain('reply confirm (or yes) within 60 s');
  });

  it('/help COMMAND explains one command, and says when there is none', async () => {
    const { say } = setup();
    expect(await say('/help /stop')).toBe(
      '/stop GRID_ID\n  Stop a grid and cancel its open orders (asks to confirm). ' +
        "Coins already bought stay in your balance; a futures grid's position is closed.\n  e.g. /stop G1",
    );
    expect(await say('/help nope')).toBe('✗ No command /nope. Send /help to see every command.');
  });

  it("every command's example parses", async () => {
    const { services } = setup();
    const dispatcher = new Dispatcher({ services, clock: new ManualClock(0) });
    for (const c of dispatcher.registry.commands) {
      expect(dispatcher.registry.parse(c.example).kind, c.example).toBe('ok');
    }
  });

  it('/start welcomes and gives quick help', async () => {
    const { say } = setup();
    const text = await say('/start');
    expect(text).toMatch(/^👋 Welcome to telegrid, a grid-trading bot for Binance spot \(paper on sandbox\)\./);
    expect(text).toContain('/grid BTCUSDT 10 0.5');
    expect(text).toContain('Send /help for every command.');
  });

  it('the grid preview lists each level, the capital, profit per grid, warnings and the order count', async () => {
    const preview = {
      ...fakePreview({
        symbol: 'BTCUSDT',
        levels: 2,
        spacingPct: fx('0.5'),
        amountQuote: fx('25'),
        spacing: 'arithmetic',
        stopLoss: fx('90000'),
      }),
      warnings: [{ code: 'SPACING_UNDER_TWICE_FEE' as const, message: 'Spacing 0.15 % is under twice the fee.' }],
    };
    expect(gridPreviewText(preview)).toBe(
      [
        '📐 Grid preview for BTCUSDT',
        '2 levels each side · 0.5 % arithmetic · 25.00 USDT per level · sl 90000.00',
        'Reference price: 95000.00 USDT',
        '',
        'Levels:',
        '  #   side  price     qty',
        '  +2  SELL  95950.00  0.00026',
        '  +1  SELL  95475.00  0.00026',
        '  0   —     95000.00  price now',
        '  -1  BUY   94525.00  0.00026',
        '  -2  BUY   94050.00  0.00026',
        '',
        'Capital needed:',
        '  buys:  49.0295 USDT',
        '  sells: 0.00052 BTC',
        '  market buy first: 0.00052 BTC ≈ 49.40 USDT',
        '  total: 98.4295 USDT',
        '',
        'Profit per grid, net of 0.1 % maker fees: 0.2975–0.3 % (0.0744–0.075 USDT)',
        '⚠️ Spacing 0.15 % is under twice the fee.',
        '',
        'Confirm to place 4 orders (after a market buy of 0.00052 BTC).',
      ].join('\n'),
    );
  });

  it('a preview without a market buy says plainly how many orders it places', async () => {
    const { marketBuy: _, ...preview } = fakePreview({
      symbol: 'BTCUSDT',
      levels: 1,
      spacingPct: fx('1'),
      amountQuote: fx('10'),
      spacing: 'geometric',
    });
    const text = gridPreviewText({ ...preview, baseForSells: fx('0.0001'), quoteNeeded: preview.quoteForBuys });
    expect(text).not.toContain('market buy');
    expect(text).toMatch(/\nConfirm to place 2 orders\.$/);
  });

  it('a preview warns when a grid step loses money after fees', async () => {
    const p = fakePreview({ symbol: 'BTCUSDT', levels: 1, spacingPct: fx('0.1'), amountQuote: fx('10'), spacing: 'arithmetic' });
    const text = gridPreviewText({
      ...p,
      profitPerGrid: { minPct: fx('-0.1'), maxPct: fx('-0.1'), minQuote: fx('-0.01'), maxQuote: fx('-0.01') },
    });
    expect(text).toContain(
      'Profit per grid, net of 0.1 % maker fees: -0.1–-0.1 % (-0.01–-0.01 USDT)\n' +
        '⚠️ At least one grid step earns nothing or loses after fees.',
    );
  });

  it('/grids lists every grid', async () => {
    const { services, say } = setup();
    expect(await say('/grids')).toBe(
      [
        'G1 · BTCUSDT · running',
        '  10 levels each side · 0.5 % arithmetic · 25.00 USDT per level',
        '  20 open orders · 3 round trips · started 2025-01-31 14:05 UTC',
        '  grid profit +1.23 · floating PnL -0.4568 · total PnL +0.7732 · APR +45.12 % on 500.00 USDT invested',
        '  holds 0.00521 BTC, marked at 94611.33 (started at 95000.00)',
        '',
        'G2 · ETHUSDT · stopped (user)',
        '  10 levels each side · 0.5 % arithmetic · 25.00 USDT per level',
        '  20 open orders · 3 round trips · started 2025-01-31 14:05 UTC',
        '  grid profit +1.23 USDT',
      ].join('\n'),
    );
    // One grid by id (any case): the exact figures the books keep.
    expect(await say('/grids g1')).toBe(
      [
        'G1 · BTCUSDT · running',
        '  10 levels each side · 0.5 % arithmetic · 25.00 USDT per level',
        '  20 open orders · 3 round trips · started 2025-01-31 14:05 UTC',
        '  grid profit +1.23 · floating PnL -0.45678912 · total PnL +0.77321088 · APR +45.12345678 % on 500 USDT invested',
        '  holds 0.00521 BTC, marked at 94611.33000025 (started at 95000)',
      ].join('\n'),
    );
    services.gridList = [
      gridSummary({
        issues: [
          { clientOrderId: 'a', side: 'BUY', level: -1, code: 'FILTER_FAILURE', message: 'x', time: 1 },
          { clientOrderId: 'b', side: 'SELL', level: 3, code: '-2010', message: 'Account has insufficient balance.', time: 2 },
        ],
      }),
    ];
    expect(await say('/grids')).toContain('\n  ⚠️ 2 order issues; latest: level 3 SELL -2010: Account has insufficient balance.');
    services.gridList = [];
    expect(await say('/grids')).toBe('No grids yet. Start one with /grid BTCUSDT 10 0.5.');
  });

  it('/positions shows each position', async () => {
    const { services, say } = setup();
    expect(await say('/positions')).toBe(
      'Positions:\n  BTCUSDT 0.00250 @ avg 94525.00 · last 95000.00 · unrealized +1.19 · realized 0.00 · fees 0.24 USDT',
    );
    services.positionList = [
      {
        symbol: 'BTCUSDT',
        quantity: fx('0.23500001'),
        avgCost: fx('94611.33000025'),
        lastPrice: fx('95210'),
        realizedPnl: fx('12.104'),
        unrealizedPnl: fx('140.6544'),
        fees: fx('1.2'),
        accountHolds: fx('0.5'),
        grids: [{ gridId: 'G1', quantity: fx('0.235') }],
      },
    ];
    expect(await say('/positions')).toBe(
      'Positions:\n  BTCUSDT 0.23500 @ avg 94611.33 · last 95210.00 · unrealized +140.65 · realized +12.10 · fees 1.20 USDT · ' +
        'account holds 0.50000 BTC, G1 manages 0.23500',
    );
    services.positionList = [];
    expect(await say('/positions')).toBe('No positions.');
  });

  it('/orders lists open orders like a book, optionally for one symbol', async () => {
    const { services, say } = setup();
    expect(await say('/orders')).toBe(
      [
        'Open orders: 3',
        '  BTCUSDT  SELL  LIMIT  0.00026  @ 95475.00  filled 0.0001  partially_filled  grid G1',
        '  BTCUSDT  BUY   LIMIT  0.00026  @ 94525.00                 accepted          grid G1',
        '  ETHUSDT  BUY   LIMIT  0.0074   @ 3383.00                  accepted          grid G3',
      ].join('\n'),
    );
    expect(await say('/orders ethusdt')).toBe('Open orders on ETHUSDT: 1\n  ETHUSDT  BUY  LIMIT  0.0074  @ 3383.00    accepted  grid G3');
    services.orderList = [];
    expect(await say('/orders BTCUSDT')).toBe('No open orders on BTCUSDT.');
  });

  it('/orders cuts a long list and says how to narrow it', async () => {
    const { services, say } = setup();
    const one = services.orderList[0]!;
    services.orderList = Array.from({ length: 120 }, (_, i) => ({ ...one, clientOrderId: `tg_G1_${i}_B-1`, price: fx(String(90000 + i)) }));
    const lines = (await say('/orders')).split('\n');
    expect(lines[0]).toBe('Open orders: 120');
    expect(lines[1]).toContain('@ 90119.00');
    expect(lines).toHaveLength(52);
    expect(lines[51]).toBe('… and 70 more; narrow with /orders SYMBOL');
  });

  it('/pnl shows totals and each grid', async () => {
    const { say } = setup();
    expect(await say('/pnl')).toBe(
      [
        'Profit and loss (USDT):',
        '  realized:   +1.23',
        '  unrealized: -0.50',
        '  fees paid:  0.31',
        '  today:      +0.42',
        'Fees by asset:',
        '  BNB 0.0004 = 0.26 USDT',
        '  USDT 0.05',
        'Grids:',
        '  G1 BTCUSDT · 3 round trips · grid profit +1.23' +
          ' · floating PnL -0.4568 · total PnL +0.7732 · APR +45.12 % on 500.00 USDT invested',
      ].join('\n'),
    );
    expect(await say('/pnl DETAIL')).toBe(
      [
        'Profit and loss (USDT), exact:',
        '  realized:   +1.23',
        '  unrealized: -0.5',
        '  fees paid:  0.31',
        '  today:      +0.42',
        'Fees by asset:',
        '  BNB 0.0004 = 0.26 USDT',
        '  USDT 0.05',
        'Grids:',
        '  G1 BTCUSDT · 3 round trips · grid profit +1.23' +
          ' · floating PnL -0.45678912 · total PnL +0.77321088 · APR +45.12345678 % on 500 USDT invested',
      ].join('\n'),
    );
  });

  it('/balance shows non-zero balances, quote asset first', async () => {
    const { services, say } = setup();
    expect(await say('/balance')).toBe('Balances:\n  USDT  free 750.50   locked 249.50\n  BTC   free 0.00250  locked 0.00260');
    services.balanceList = [];
    expect(await say('/balance')).toBe('No balances reported yet.');
  });

  it('/status shows mode, state, uptime and market freshness', async () => {
    const { services, say } = setup();
    expect(await say('/status')).toBe(
      [
        'Mode: paper on sandbox',
        'Trading: ACTIVE',
        'Uptime: 1h 02m',
        'Grids running: 1 · open orders: 3',
        "Dead-man's switch: off (DEADMAN_AFTER_SECONDS)",
        'Last heartbeat: 1.2 s ago · no watchdog running',
        'Markets:',
        '  BTCUSDT  95000.00      last trade 1.2 s ago',
        '  ETHUSDT  no price yet',
      ].join('\n'),
    );
    services.tradingState = 'HALTED';
    expect(await say('/status')).toContain('Trading: HALTED (send /resume to trade again)');
  });

  it('a failing use case answers with its message', async () => {
    const { services, say } = setup();
    services.previewFailure = { ok: false, error: { code: 'NO_MARKET_DATA', message: 'No price for BTCUSDT yet; try again in a moment.' } };
    expect(await say('/grid BTCUSDT 10 0.5')).toBe('✗ No price for BTCUSDT yet; try again in a moment.');
  });

  it('a grid that fails to start says so', async () => {
    const { services, say } = setup();
    services.startGrid = async () => ({
      ok: false,
      error: { code: 'PREVIEW_STALE', message: 'The price moved 3 % since the preview; send /grid again.' },
    });
    await say('/grid BTCUSDT 10 0.5');
    expect(await say('confirm')).toBe('✗ Grid not started: The price moved 3 % since the preview; send /grid again.');
  });

  it('a bug in a handler is answered, not thrown', async () => {
    const { services, say } = setup();
    services.pnl = () => {
      throw new Error('portfolio not wired');
    };
    // The exception's text goes to the log only: it could quote a secret.
    expect(await say('/pnl')).toBe('✗ Something went wrong running /pnl. It was logged. /status and /orders show where things stand.');
  });

  it('empty and plain text get a hint', async () => {
    const { say } = setup();
    expect(await say('   ')).toBe('Send /help to see what I can do.');
    expect(await say('buy btc')).toBe('I only understand commands, like /grid BTCUSDT 10 0.5. Send /help to see them all.');
  });
});
