import { describe, expect, it } from 'vitest';
import { Dispatcher, type KillReceipt, killAckText, killReceiptText } from '../../src/chat/index.js';
import { fx } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

const USAGE = 'Usage: /kill [now|flatten]\nExample: /kill';
const BUTTONS = [
  { label: 'Confirm', action: 'confirm' },
  { label: 'Cancel', action: 'cancel' },
];
const ETH = { symbol: 'ETHUSDT', quantity: fx('0.5'), avgCost: fx('3400'), realizedPnl: fx('0'), unrealizedPnl: fx('0'), fees: fx('0.1') };
const BTC_LINE = '  BTCUSDT 0.0025 @ avg 94525.00 · last 95000.00 · unrealized +1.19 · realized 0.00 · fees 0.24 USDT';

function setup() {
  const services = new FakeServices();
  services.positionList = [
    ...services.positionList,
    ETH,
    {
      symbol: 'BNBUSDT',
      quantity: fx('0'),
      avgCost: fx('0'),
      lastPrice: fx('600'),
      realizedPnl: fx('2'),
      unrealizedPnl: fx('0'),
      fees: fx('0.01'),
    },
  ];
  const clock = new ManualClock(1_000_000);
  const dispatcher = new Dispatcher({ services, clock });
  const say = (text: string, chat = 'chat-1') => dispatcher.handle(chat, text);
  return { services, clock, say };
}

const BTC = {
  symbol: 'BTCUSDT',
  quantity: fx('0.0025'),
  avgCost: fx('94525'),
  lastPrice: fx('95000'),
  realizedPnl: fx('0'),
  unrealizedPnl: fx('1.1875'),
  fees: fx('0.24'),
};

/** A plain kill's receipt: one order of each fate. */
const RECEIPT: KillReceipt = {
  canceled: [{ clientOrderId: 'tg_G1_1_B-1', symbol: 'BTCUSDT' }],
  filled: [{ clientOrderId: 'tg_G1_2_S1', symbol: 'BTCUSDT' }],
  refused: [],
  unknown: [],
  placementsDropped: 0,
  gridsStopped: ['G1'],
  flattened: [],
  flattenPending: false,
  positions: [BTC],
  notes: [],
};

const ACK = ['🛑 Kill switch: trading HALTED.', 'Cancelling 3 bot orders on 1 symbol.', 'The receipt follows within 10 s.'].join('\n');

/** The receipt of a kill that also flattened. */
function flattenReceipt(): KillReceipt {
  return {
    ...RECEIPT,
    placementsDropped: 2,
    flattened: [
      { symbol: 'BTCUSDT', side: 'SELL', quantity: fx('0.0025'), outcome: 'filled at 94990.00' },
      { symbol: 'ETHUSDT', side: 'SELL', quantity: fx('0.5'), outcome: 'rejected: MIN_NOTIONAL' },
    ],
    positions: [ETH],
  };
}

describe('/kill', () => {
  it('asks first; confirm kills once without flattening and acknowledges it urgently (the receipt follows on its own)', async () => {
    const { services, say } = setup();
    const ask = await say('/kill');
    expect(ask.text).toBe(
      [
        '⚠️ Kill switch: trading will be HALTED,',
        'every open bot order (3) cancelled and every running grid (1) stopped.',
        'Positions stay open; nothing is sold for you (/kill flatten would also close them at market).',
      ].join('\n'),
    );
    expect(ask.buttons).toEqual(BUTTONS);
    expect(services.calls).toEqual([]);

    const done = await say('confirm');
    expect(services.kills).toEqual([{ flatten: false }]);
    expect(done.buttons).toBeUndefined();
    expect(done.urgent).toBe(true);
    expect(done.text).toBe(ACK);
    expect((await say('/resume')).text).toBe('▶️ Trading resumed: HALTED → ACTIVE. Start new grids with /grid.');
  });

  it('a second tap on Confirm does not kill twice', async () => {
    const { services, say } = setup();
    await say('/kill');
    const [first, second] = await Promise.all([say('confirm'), say('confirm')]);
    expect(first.text).toBe(ACK);
    expect(second.text).toBe('That confirmation was already used; send /kill again to do it once more.');
    expect((await say('yes')).text).toBe('That confirmation was already used; send /kill again to do it once more.');
    expect(services.kills).toEqual([{ flatten: false }]);
  });

  it('cancel and expiry kill nothing', async () => {
    const { services, clock, say } = setup();
    await say('/kill');
    expect((await say('cancel')).text).toBe('Cancelled. Nothing was done for /kill.');
    await say('/kill flatten');
    clock.advance(60_000);
    expect((await say('confirm')).text).toBe('That confirmation expired after 60 s; send /kill again.');
    expect(services.calls).toEqual([]);
  });
});

describe('/kill now', () => {
  it('kills at once without asking, and a later confirm does nothing', async () => {
    const { services, say } = setup();
    const done = await say('/kill now');
    expect(services.kills).toEqual([{ flatten: false }]);
    expect(done.text).toBe(ACK);
    expect(done.urgent).toBe(true);
    expect(done.buttons ?? []).toEqual([]);

    // Nothing was left pending: confirm and cancel both say there is nothing to answer.
    expect((await say('confirm')).text).toMatch(/^Nothing to confirm\./);
    expect((await say('cancel')).text).not.toContain('/kill');
    expect(services.kills).toHaveLength(1);
  });

  it('is case-insensitive and drops a pending grid, so a later confirm cannot start it', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    const done = await say('/KILL NOW');
    expect(done.text).toMatch(/^🛑 Kill switch: trading HALTED\./);
    expect(done.text).toContain('(The pending /grid was dropped; nothing was done for it.)');
    await say('confirm');
    expect(services.calls).toEqual(['previewGrid', 'kill']);
  });
});

describe('/kill flatten', () => {
  it('asks with its own preview: each position it will close at MARKET, and that this is irreversible', async () => {
    const { services, say } = setup();
    const ask = await say('/kill flatten');
    expect(ask.text).toBe(
      [
        '⚠️ Kill switch with FLATTEN: trading will be HALTED,',
        'every open bot order (3) cancelled and every running grid (1) stopped.',
        'Then every position will ALSO be sold (or bought back) at MARKET, 2 orders:',
        '  SELL 0.0025 BTCUSDT at MARKET (last 95000.00 ≈ 237.50 USDT)',
        '  SELL 0.5 ETHUSDT at MARKET',
        'Quantities are as of now; the receipt shows exactly what was sent.',
        '⚠️ This is irreversible: market orders take whatever price the order book offers, and nothing buys them back for you.',
      ].join('\n'),
    );
    expect(ask.buttons).toEqual(BUTTONS);
    expect(services.calls).toEqual([]);
  });

  it('a short position is bought back', async () => {
    const { services, say } = setup();
    services.positionList = [
      {
        symbol: 'BTCUSDT',
        quantity: fx('-0.001'),
        avgCost: fx('95000'),
        lastPrice: fx('94000'),
        realizedPnl: fx('0'),
        unrealizedPnl: fx('1'),
        fees: fx('0'),
      },
    ];
    expect((await say('/kill flatten')).text).toContain('  BUY 0.001 BTCUSDT at MARKET (last 94000.00 ≈ 94.00 USDT)\n');
  });

  it('with no position open, still says what flatten does', async () => {
    const { services, say } = setup();
    services.positionList = [];
    const text = (await say('/kill flatten')).text;
    expect(text).toContain(
      'Then every position will ALSO be closed at MARKET. No position is open right now; any opened before the halt is closed too.',
    );
    expect(text).toContain('irreversible');
  });

  it('confirm kills once with flatten and says the positions are closed next', async () => {
    const { services, say } = setup();
    await say('/kill flatten');
    const [done, again] = await Promise.all([say('confirm'), say('confirm')]);
    expect(services.kills).toEqual([{ flatten: true }]);
    expect(again.text).toMatch(/already used/);
    expect(done.urgent).toBe(true);
    expect(done.text).toBe(
      [
        '🛑 Kill switch: trading HALTED.',
        'Cancelling 3 bot orders on 1 symbol.',
        'Then every position is closed at MARKET.',
        'The receipt follows within 10 s.',
      ].join('\n'),
    );
  });
});

describe('/kill with a wrong argument', () => {
  it.each([
    [
      '/kill foo',
      "✗ unknown argument 'foo': /kill takes 'now' (stop at once, without asking) " +
        "or 'flatten' (also close every position at MARKET, after you confirm), or nothing (asks to confirm).",
    ],
    [
      '/kill flaten',
      "✗ unknown argument 'flaten': /kill takes 'now' (stop at once, without asking) " +
        "or 'flatten' (also close every position at MARKET, after you confirm), or nothing (asks to confirm).",
    ],
    ['/kill now flatten', "✗ unexpected argument 'flatten'; /kill takes at most 1 (now|flatten)."],
    ['/kill x=1', "✗ unknown option 'x=1' (/kill takes no key=value options)."],
  ])('%s names it, shows usage and an example, and changes nothing', async (input, problem) => {
    const { services, say } = setup();
    const reply = await say(input);
    expect(reply.text).toBe(`${problem}\n${USAGE}`);
    expect(reply.buttons).toBeUndefined();
    expect((await say('confirm')).text).toMatch(/^Nothing to confirm\./);
    expect(services.calls).toEqual([]);
  });
});

describe('killAckText', () => {
  it('says when Redis did not answer, and when no order is known', () => {
    const text = killAckText({ orders: 0, symbols: 0, receiptWithinMs: 10_000, redisDown: true, flatten: false });
    expect(text).toBe(
      [
        '🛑 Kill switch: trading HALTED.',
        'No bot order is known on the book; the exchange is checked anyway.',
        '⚠️ Redis did not answer: the halt holds in this process and the exchange is asked directly.',
        'The receipt follows within 10 s.',
      ].join('\n'),
    );
  });
});

describe('killReceiptText', () => {
  it('lists each order in exactly one place: an order filled before the cancel is neither a failure nor live', () => {
    expect(killReceiptText(RECEIPT, 'USDT')).toBe(
      [
        '🛑 Kill switch receipt. Trading is HALTED.',
        'Orders cancelled: 1',
        '  tg_G1_1_B-1 BTCUSDT',
        'Filled before the cancel arrived (not live): 1',
        '  tg_G1_2_S1 BTCUSDT',
        'Queued placements dropped: 0',
        'Grids stopped: G1',
        'Positions left open: 1',
        BTC_LINE,
        'Send /resume to trade again.',
      ].join('\n'),
    );
  });

  it("names refusals with the exchange's reason, and the orders still being asked about", () => {
    const text = killReceiptText(
      {
        ...RECEIPT,
        filled: [],
        refused: [{ clientOrderId: 'tg_G1_3_S2', symbol: 'BTCUSDT', reason: '-1013: Filter failure' }],
        unknown: [{ clientOrderId: 'tg_G1_4_B-2', symbol: 'BTCUSDT' }],
        notes: ["The exchange has not yet listed BTCUSDT's open orders (TIMEOUT): only the bot's known orders there were cancelled."],
      },
      'USDT',
    );
    expect(text).toContain(
      [
        'Cancels the exchange refused: 1',
        '  tg_G1_3_S2 BTCUSDT: -1013: Filter failure',
        '  ⚠️ The exchange refused to cancel these; check them there.',
        'Still being asked (an update follows once each is settled): 1',
        '  tg_G1_4_B-2 BTCUSDT',
        'Queued placements dropped: 0',
      ].join('\n'),
    );
    expect(text).toContain("⚠️ The exchange has not yet listed BTCUSDT's open orders");
    expect(text).not.toContain('Filled before');
  });

  it('the update that closes the unknowns says so; a flatten waiting for them says it comes next', () => {
    expect(killReceiptText(RECEIPT, 'USDT', { flatten: false, update: true })).toMatch(
      /^🛑 Kill switch update: every order is settled\. Trading is HALTED\.\n/,
    );
    const waiting = killReceiptText({ ...RECEIPT, flattenPending: true }, 'USDT', { flatten: true });
    expect(waiting).toContain('Market orders: sent once every cancel is settled; the update says what they did.\n');
    expect(waiting).not.toContain('Market orders sent');
  });

  it('shows dropped placements and, for flatten, the market orders; caps long lists', () => {
    const many = Array.from({ length: 52 }, (_, i) => ({ clientOrderId: `tg_G1_${i}_B-1`, symbol: 'BTCUSDT' }));
    const text = killReceiptText({ ...flattenReceipt(), canceled: many, placementsDropped: 7 }, 'USDT');
    expect(text).toContain('Orders cancelled: 52\n');
    expect(text).toContain('  tg_G1_49_B-1 BTCUSDT\n  … and 2 more\n');
    expect(text).toContain('Queued placements dropped: 7\n');
    expect(text).toContain('Market orders sent: 2\n  SELL 0.0025 BTCUSDT at MARKET: filled at 94990.00\n');
  });

  it('leaves the market orders out of a plain kill', () => {
    const text = killReceiptText(RECEIPT, 'USDT');
    expect(text).not.toContain('Market orders');
    expect(text).toContain(`Positions left open: 1\n${BTC_LINE}\nSend /resume to trade again.`);
  });
});
