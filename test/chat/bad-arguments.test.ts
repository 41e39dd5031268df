import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/chat/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

const GRID_USAGE =
  'Usage: /grid SYMBOL LEVELS SPACING [AMOUNT] [geometric] [sl=PRICE] [tp=PRICE] [at=PRICE] [trail[=PRICE]] [trail-down[=PRICE]]\n' +
  '  or /grid SYMBOL LOWER-UPPER GRIDS [INVEST | AMOUNT/grid] [geometric] [sl=PRICE] [tp=PRICE] [at=PRICE] [trail[=PRICE]] ' +
  '[trail-down[=PRICE]]\n' +
  '  futures: add long|short|neutral [xN] [isolated|cross] to either form\n' +
  '  or /grid SYMBOL auto [AMOUNT]: levels and spacing from the hourly volatility, like /grid BTCUSDT auto\n' +
  'Example: /grid BTCUSDT 10 0.5';

function setup() {
  const services = new FakeServices();
  const dispatcher = new Dispatcher({ services, clock: new ManualClock(1_000) });
  const say = async (text: string) => (await dispatcher.handle('chat-1', text)).text;
  return { services, say };
}

describe('a wrong argument names the argument, shows usage and an example, and changes nothing', () => {
  const gridCases: Array<[string, string]> = [
    ['/grid FOOUSDT 10 0.5', '✗ SYMBOL: unknown symbol FOOUSDT; known: BTCUSDT, ETHUSDT.'],
    ['/grid BTCUSDT ten 0.5', "✗ LEVELS must be a whole number from 1 to 100, got 'ten'."],
    ['/grid BTCUSDT 0 0.5', "✗ LEVELS must be a whole number from 1 to 100, got '0'."],
    ['/grid BTCUSDT 101 0.5', "✗ LEVELS must be a whole number from 1 to 100, got '101'."],
    ['/grid BTCUSDT 2.5 0.5', "✗ LEVELS must be a whole number from 1 to 100, got '2.5'."],
    ['/grid BTCUSDT 10 0', "✗ SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got '0'."],
    ['/grid BTCUSDT 10 -1', "✗ SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got '-1'."],
    ['/grid BTCUSDT 10 half', "✗ SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got 'half'."],
    ['/grid BTCUSDT 10 50', "✗ SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got '50'."],
    [
      '/grid BTCUSDT 10 5e-1',
      "✗ SPACING must be a percentage above 0 and below 50 with at most 8 decimals, like 0.5, got '5e-1' (write it out; no exponents).",
    ],
    ['/grid BTCUSDT 10 0.5 -25', "✗ AMOUNT must be an amount of USDT per level above 0 with at most 8 decimals, like 25, got '-25'."],
    [
      '/grid BTCUSDT 10 0.5 0.000000001',
      "✗ AMOUNT must be an amount of USDT per level above 0 with at most 8 decimals, like 25, got '0.000000001' (more than 8 decimals).",
    ],
    [
      '/grid BTCUSDT 10 0.5 1e3',
      "✗ AMOUNT must be an amount of USDT per level above 0 with at most 8 decimals, like 25, got '1e3' (write it out; no exponents).",
    ],
    [
      '/grid BTCUSDT 10 0.5 25,5',
      "✗ AMOUNT must be an amount of USDT per level above 0 with at most 8 decimals, like 25, got '25,5' (use '.' for decimals).",
    ],
    ['/grid BTCUSDT 10 0.5 sl=abc', "✗ sl must be a price above 0 with at most 8 decimals, like sl=90000, got 'abc'."],
    ['/grid BTCUSDT 10 0.5 sl=', "✗ sl must be a price above 0 with at most 8 decimals, like sl=90000, got ''."],
    ['/grid BTCUSDT 10 0.5 tp=-5', "✗ tp must be a price above 0 with at most 8 decimals, like tp=90000, got '-5'."],
    ['/grid BTCUSDT 10 0.5 sl=96000 tp=95000', '✗ sl (96000.00) must be below tp (95000.00).'],
    ['/grid BTCUSDT 10 0.5 foo=1', "✗ unknown option 'foo=1' (/grid accepts sl=…, tp=…, at=…, trail=… and trail-down=…)."],
    ['/grid BTCUSDT 10 0.5 trail=high', "✗ trail must be a price above 0 with at most 8 decimals, like trail=75000, got 'high'."],
    [
      '/grid BTCUSDT 10 0.5 trail-down=-1',
      "✗ trail-down must be a price above 0 with at most 8 decimals, like trail-down=55000, got '-1'.",
    ],
    ['/grid BTCUSDT 10 0.5 sl=1 sl=2', '✗ option sl is given twice.'],
    ['/grid BTCUSDT 10 0.5 geometric arithmetic', "✗ choose either 'geometric' or 'arithmetic', not both."],
    ['/grid BTCUSDT 10 0.5 25 extra', "✗ unexpected argument 'extra'; /grid takes at most 4 (SYMBOL LEVELS SPACING AMOUNT)."],
    ['/grid', '✗ SYMBOL is missing.\n✗ LEVELS is missing.\n✗ SPACING is missing.'],
    ['/grid BTCUSDT 10', '✗ SPACING is missing.'],
  ];

  it.each(gridCases)('%s', async (input, problem) => {
    const { services, say } = setup();
    expect(await say(input)).toBe(`${problem}\n${GRID_USAGE}`);
    expect(services.calls).toEqual([]);
  });

  it('reports every wrong argument at once', async () => {
    const { say } = setup();
    const text = await say('/grid XYZ many -1 sl=x');
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('✗ '))
        .map((l) => l.split(' ')[1]),
    ).toEqual(['SYMBOL:', 'LEVELS', 'SPACING', 'sl']);
  });

  it('/stop without an id, or with one that does not exist', async () => {
    const { services, say } = setup();
    expect(await say('/stop')).toBe('✗ GRID_ID is missing.\nUsage: /stop GRID_ID\nExample: /stop G1');
    expect(await say('/stop G9')).toBe(
      "✗ GRID_ID: no grid 'G9'; your grids: G1 (running), G2 (stopped).\nUsage: /stop GRID_ID\nExample: /stop G1",
    );
    expect(await say('/stop G1 G2')).toContain("✗ unexpected argument 'G2'; /stop takes at most 1 (GRID_ID).");
    expect(services.calls).toEqual([]);
  });

  it('/orders with an unknown symbol', async () => {
    const { say } = setup();
    expect(await say('/orders DOGE')).toBe(
      '✗ SYMBOL: unknown symbol DOGE; known: BTCUSDT, ETHUSDT.\nUsage: /orders [SYMBOL]\nExample: /orders BTCUSDT',
    );
  });

  it('/pnl takes only the word detail, /grids only a grid id', async () => {
    const { services, say } = setup();
    expect(await say('/pnl now')).toBe(
      "✗ DETAIL: expected the word 'detail' (every decimal the books keep), got 'now'; e.g. /pnl detail.\n" +
        'Usage: /pnl [detail]\nExample: /pnl detail',
    );
    expect(await say('/grids G9')).toBe(
      "✗ GRID_ID: no grid 'G9'; your grids: G1 (running), G2 (stopped).\nUsage: /grids [GRID_ID]\nExample: /grids G1",
    );
    expect(await say('/grids G1 G2')).toContain("✗ unexpected argument 'G2'; /grids takes at most 1 (GRID_ID).");
    expect(services.calls).toEqual([]);
  });

  it('commands without arguments refuse extra words', async () => {
    const { services, say } = setup();
    // /kill takes 'now' or 'flatten'; its wrong arguments are in kill-command.test.ts.
    for (const name of ['positions', 'balance', 'status', 'resume', 'start']) {
      expect(await say(`/${name} now`)).toBe(
        `✗ unexpected argument 'now'; /${name} takes no plain arguments.\nUsage: /${name}\nExample: /${name}`,
      );
      expect(await say(`/${name} x=1`)).toContain(`✗ unknown option 'x=1' (/${name} takes no key=value options).`);
    }
    expect(services.calls).toEqual([]);
  });

  it('an unknown command points to /help, suggesting a near name', async () => {
    const { say } = setup();
    expect(await say('/foo')).toBe('✗ Unknown command /foo.\nSend /help to see every command.');
    expect(await say('/gird BTCUSDT 10 0.5')).toBe('✗ Unknown command /gird. Did you mean /grid?\nSend /help to see every command.');
    expect(await say('hello')).toContain('Send /help');
  });

  it('accepts lower-case symbols, any order of flags and options, and a Telegram @botname suffix', async () => {
    const { services, say } = setup();
    await say('/grid@telegrid_bot btcusdt 5 0.25 tp=100000 GEOMETRIC 50 sl=90000.5');
    expect(services.previews).toEqual([
      {
        symbol: 'BTCUSDT',
        levels: 5,
        spacingPct: 25_000_000n,
        amountQuote: 5_000_000_000n,
        spacing: 'geometric',
        stopLoss: 9_000_050_000_000n,
        takeProfit: 10_000_000_000_000n,
      },
    ]);
  });

  it('uses the default amount and arithmetic spacing when they are left out', async () => {
    const { services, say } = setup();
    await say('/grid ETHUSDT 3 1');
    expect(services.previews[0]).toEqual({
      symbol: 'ETHUSDT',
      levels: 3,
      spacingPct: 100_000_000n,
      amountQuote: 2_000_000_000n,
      spacing: 'arithmetic',
    });
  });
});
