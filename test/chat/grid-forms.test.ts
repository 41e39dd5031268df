import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/chat/index.js';
import { fx } from '../../src/domain/index.js';
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

describe("/grid's range form and trigger as typed", () => {
  it('long, short or neutral with xN and a margin mode make a futures grid, in either form', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 10 0.5 long x5');
    await say('/grid BTCUSDT 10 0.5 SHORT X20 cross');
    await say('/grid BTCUSDT 90000-100000 20 1000 neutral isolated x3');
    await say('/grid BTCUSDT 10 0.5 neutral');
    const base = { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), spacing: 'arithmetic', amountQuote: fx('20') };
    expect(services.previews[0]).toEqual({ ...base, futures: { mode: 'long', leverage: 5, margin: 'isolated' } });
    expect(services.previews[1]).toEqual({ ...base, futures: { mode: 'short', leverage: 20, margin: 'cross' } });
    expect(services.previews[2]?.futures).toEqual({ mode: 'neutral', leverage: 3, margin: 'isolated' });
    expect(services.previews[2]?.range).toEqual({ lower: fx('90000'), upper: fx('100000'), grids: 20, investQuote: fx('1000') });
    // Unsaid, a futures grid is x1 on isolated margin.
    expect(services.previews[3]).toEqual({ ...base, futures: { mode: 'neutral', leverage: 1, margin: 'isolated' } });
  });

  it('a bad leverage or futures words without a direction are named, with an example, and nothing is previewed', async () => {
    const { services, say } = setup();
    const cases: [string, string][] = [
      ['/grid BTCUSDT 10 0.5 long x0', "LEVERAGE must be x followed by a whole number from 1 to 125, like x5, got 'x0'."],
      ['/grid BTCUSDT 10 0.5 long x126', "got 'x126'"],
      ['/grid BTCUSDT 10 0.5 long x2.5', "got 'x2.5'"],
      ['/grid BTCUSDT 10 0.5 x5', 'x5 is for futures grids: add long, short or neutral, like /grid BTCUSDT 10 0.5 long x5.'],
      ['/grid BTCUSDT 10 0.5 cross', 'cross is for futures grids: add long, short or neutral'],
      ['/grid BTCUSDT 10 0.5 long short', "choose either 'long', 'short' or 'neutral', not both."],
      ['/grid BTCUSDT 10 0.5 long x5 x3', "LEVERAGE is given twice ('x5' and 'x3')."],
      ['/grid BTCUSDT 10 0.5 long x5 trail', 'trailing is for spot grids only for now: leave trail/trail-down out of a long grid'],
      ['/grid BTCUSDT 10 0.5 short trail-down=90000', 'leave trail/trail-down out of a short grid'],
    ];
    for (const [typed, problem] of cases) expect(await say(typed)).toContain(problem);
    expect(services.previews).toEqual([]);
  });

  it('trail and trail-down, bare or with a limit, in either form; the preview says so', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 10 0.5 trail');
    await say('/grid BTCUSDT 10 0.5 25 trail=110000 trail-down');
    const preview = await say('/grid BTCUSDT 90000-100000 20 trail-down=85000 TRAIL');
    const base = { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), spacing: 'arithmetic' };
    expect(services.previews).toEqual([
      { ...base, amountQuote: fx('20'), trailUp: {} },
      { ...base, amountQuote: fx('25'), trailUp: { limit: fx('110000') }, trailDown: {} },
      {
        symbol: 'BTCUSDT',
        levels: 20,
        spacingPct: 0n,
        amountQuote: fx('20'),
        spacing: 'arithmetic',
        range: { lower: fx('90000'), upper: fx('100000'), grids: 20 },
        trailUp: {},
        trailDown: { limit: fx('85000') },
      },
    ]);
    expect(preview).toContain('trailing up (no limit) · trailing down to 85000.00');
    expect(preview).toContain('Trailing up is on, with no limit: when the market trades above the top line');
    expect(preview).toContain('Trailing down is on, down to 85000.00 USDT');
  });

  it('a total investment is shared by the grids; AMOUNT/grid is each grid; the default otherwise', async () => {
    const { services, say } = setup();
    await say('/grid btcusdt 90000-100000 20 1000 geometric at=95000 sl=85000 tp=105000');
    await say('/grid BTCUSDT 90000-100000 20 1000usdt');
    await say('/grid BTCUSDT 90000.5-100000 3 100');
    await say('/grid BTCUSDT 90000-100000 20 35/grid');
    await say('/grid BTCUSDT 90000-100000 20 35USDT/grid');
    await say('/grid BTCUSDT 90000-100000 20');
    const range = { lower: fx('90000'), upper: fx('100000'), grids: 20 };
    expect(services.previews).toEqual([
      {
        symbol: 'BTCUSDT',
        levels: 20,
        spacingPct: 0n,
        amountQuote: fx('50'),
        spacing: 'geometric',
        stopLoss: fx('85000'),
        takeProfit: fx('105000'),
        trigger: fx('95000'),
        range: { ...range, investQuote: fx('1000') },
      },
      {
        symbol: 'BTCUSDT',
        levels: 20,
        spacingPct: 0n,
        amountQuote: fx('50'),
        spacing: 'arithmetic',
        range: { ...range, investQuote: fx('1000') },
      },
      // 100 over 3 grids, floored to 10⁻⁸: the orders never add up to more than was typed.
      {
        symbol: 'BTCUSDT',
        levels: 3,
        spacingPct: 0n,
        amountQuote: fx('33.33333333'),
        spacing: 'arithmetic',
        range: { lower: fx('90000.5'), upper: fx('100000'), grids: 3, investQuote: fx('100') },
      },
      { symbol: 'BTCUSDT', levels: 20, spacingPct: 0n, amountQuote: fx('35'), spacing: 'arithmetic', range },
      { symbol: 'BTCUSDT', levels: 20, spacingPct: 0n, amountQuote: fx('35'), spacing: 'arithmetic', range },
      { symbol: 'BTCUSDT', levels: 20, spacingPct: 0n, amountQuote: fx('20'), spacing: 'arithmetic', range },
    ]);
  });

  it('the spacing form takes at= too', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 10 0.5 at=96000');
    expect(services.previews[0]).toMatchObject({ levels: 10, spacingPct: fx('0.5'), trigger: fx('96000') });
  });

  const cases: Array<[string, string]> = [
    ['/grid BTCUSDT 100000-90000 20', '✗ RANGE: the lower price 100000 must be below the upper price 90000, like 90000-100000.'],
    ['/grid BTCUSDT 90000-90000 20', '✗ RANGE: the lower price 90000 must be below the upper price 90000, like 90000-100000.'],
    ['/grid BTCUSDT 90000-abc 20', "✗ RANGE must be two prices LOWER-UPPER with at most 8 decimals, like 90000-100000, got '90000-abc'."],
    [
      '/grid BTCUSDT 90000-100000-110000 20',
      "✗ RANGE must be two prices LOWER-UPPER with at most 8 decimals, like 90000-100000, got '90000-100000-110000'.",
    ],
    ['/grid BTCUSDT 90000-100000 1', "✗ GRIDS must be a whole number from 2 to 200, got '1'."],
    ['/grid BTCUSDT 90000-100000 201', "✗ GRIDS must be a whole number from 2 to 200, got '201'."],
    ['/grid BTCUSDT 90000-100000 0.5', "✗ GRIDS must be a whole number from 2 to 200, got '0.5'."],
    ['/grid BTCUSDT 90000-100000', '✗ GRIDS is missing: how many grids between the two prices, like /grid BTCUSDT 90000-100000 20 1000.'],
    [
      '/grid BTCUSDT 90000-100000 20 -5',
      '✗ INVEST must be the total USDT to invest, like 1000 or 1000USDT, or an amount per grid, like 50/grid, ' +
        "above 0 with at most 8 decimals; got '-5'.",
    ],
    [
      '/grid BTCUSDT 90000-100000 20 50/level',
      '✗ INVEST must be the total USDT to invest, like 1000 or 1000USDT, or an amount per grid, like 50/grid, ' +
        "above 0 with at most 8 decimals; got '50/level'.",
    ],
    ['/grid BTCUSDT 90000-100000 20 at=soon', "✗ at must be a price above 0 with at most 8 decimals, like at=90000, got 'soon'."],
    ['/grid BTCUSDT 90000-100000 20 at=-1', "✗ at must be a price above 0 with at most 8 decimals, like at=90000, got '-1'."],
    ['/grid BTCUSDT 90000-100000 20 sl=96000 at=95000', '✗ sl (96000.00) must be below at (95000.00).'],
    ['/grid BTCUSDT 10 0.5 at=99000 tp=98000', '✗ at (99000.00) must be below tp (98000.00).'],
    ['/grid BTCUSDT 90000-100000 20 100 extra', "✗ unexpected argument 'extra'; /grid takes at most 4 (SYMBOL LEVELS SPACING AMOUNT)."],
    // A leading minus is a negative number, not a range: the spacing form's own answer.
    ['/grid BTCUSDT -5 0.5', "✗ LEVELS must be a whole number from 1 to 100, got '-5'."],
  ];

  it.each(cases)('%s', async (input, problem) => {
    const { services, say } = setup();
    expect(await say(input)).toBe(`${problem}\n${GRID_USAGE}`);
    expect(services.calls).toEqual([]);
  });
});
