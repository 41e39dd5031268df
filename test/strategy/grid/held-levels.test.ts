import { describe, expect, it } from 'vitest';
import { describeEvent } from '../../../src/chat/index.js';
import { gridSummaryText } from '../../../src/chat/commands/grid-texts.js';
import {
  type GridLevelRefused,
  type Instrument,
  type OrderIntent,
  catalogInstrument,
  decodeJson,
  encodeJson,
  fx,
} from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio } from '../../../src/portfolio/index.js';
import { type GridPreview, type GridSnapshot, GridStrategy, buildGridPreview } from '../../../src/strategy/index.js';
import { heldRejectionCause, retryDelayMs } from '../../../src/strategy/grid/held-levels.js';
import { gridSnapshot } from '../../../src/store/schemas/index.js';
import { aFillOf } from '../../kit/builders.js';
import { FakeVenue } from './fake-venue.js';

const T0 = Date.UTC(2025, 0, 1, 12, 1, 5);

function setup() {
  const clock = new ManualClock(T0);
  const kernel = new BusHost(clock, new SequentialIds());
  const portfolio = new Portfolio();
  const strategy = new GridStrategy({ instrument: catalogInstrument, profitOf: (gridId) => portfolio.gridProfit(gridId) });
  kernel.add(portfolio).add(strategy);
  const venue = new FakeVenue(kernel);
  const refused: GridLevelRefused[] = [];
  kernel.bus.on('GridLevelRefused', (m) => refused.push(m));
  const r = strategy.startGrid(preview());
  if (!r.ok) throw new Error(r.error.message);
  return { kernel, clock, strategy, venue, refused };
}

function preview(): GridPreview {
  const res = buildGridPreview({
    params: { symbol: 'BTCUSDT', levels: 3, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic' },
    instrument: catalogInstrument('BTCUSDT') as Instrument,
    referencePrice: fx('100000'),
    baseFree: fx('1'),
    quoteFree: fx('1000000'),
    makerFee: fx('0.001'),
    takerFee: fx('0.001'),
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

/** What execution says about an order the risk gate let through and the exchange then refused. */
function sentThenRejected(kernel: BusHost, intent: OrderIntent, code: string, message = 'refused by the test'): void {
  const base = {
    clientOrderId: intent.clientOrderId,
    symbol: intent.symbol,
    side: intent.side,
    owner: intent.owner,
    time: kernel.clock.now(),
  };
  kernel.bus.publish({ type: 'OrderSent', ...base, intent });
  kernel.bus.publish({ type: 'OrderRejected', ...base, code, message });
}

describe('a grid re-arm refused for a passing reason', () => {
  it('stale data: waits with why (shown in /grids) and goes out, the same order once, on the next trade', () => {
    const { clock, strategy, venue } = setup();
    venue.denyNext = { code: 'STALE_MARKET_DATA', count: 2 };
    venue.fill(venue.at('BUY', -1).clientOrderId);
    venue.fill(venue.at('SELL', 2).clientOrderId);
    const sell = venue.at('SELL', 0);
    const buy = venue.at('BUY', 1);
    expect(venue.submitted).toHaveLength(8);
    expect(strategy.openOrderIds('G1')).toEqual(expect.arrayContaining([sell.clientOrderId, buy.clientOrderId]));
    const s = strategy.summaries()[0]!;
    // 6 − 2 filled on the exchange; the two re-arms wait instead of vanishing.
    expect(s.openOrders).toBe(4);
    expect(s.waiting).toEqual([{ cause: 'stale', count: 2, since: T0 }]);
    expect(gridSummaryText(s, 'USDT')).toContain('⏳ 2 levels waiting: stale market data (since 2025-01-01 12:01 UTC)');

    clock.advance(60_000);
    venue.tick('BTCUSDT', fx('100000'));
    // Released as they were: same client ids, prices and quantities, each sent once.
    expect(venue.submitted.slice(8)).toEqual([sell, buy]);
    expect(venue.isLive(sell.clientOrderId) && venue.isLive(buy.clientOrderId)).toBe(true);
    const after = strategy.summaries()[0]!;
    expect(after.openOrders).toBe(6);
    expect(after.waiting).toBeUndefined();
    expect(gridSummaryText(after, 'USDT')).not.toContain('waiting');
    // More trades send nothing more: nothing waits.
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(10);
  });

  it('refused again after a release, it keeps its first "since" and records no second issue', () => {
    const { clock, strategy, venue } = setup();
    venue.denyNext = { code: 'STALE_MARKET_DATA', count: 2 };
    venue.fill(venue.at('BUY', -1).clientOrderId);
    clock.advance(5_000);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(8);
    expect(strategy.summaries()[0]!.waiting).toEqual([{ cause: 'stale', count: 1, since: T0 }]);
    expect(strategy.summaries()[0]!.issues!.map((i) => i.code)).toEqual(['STALE_MARKET_DATA']);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(9);
    expect(venue.isLive(venue.at('SELL', 0).clientOrderId)).toBe(true);
  });

  it('a halt: waits until trading is ACTIVE, not released by trades meanwhile', () => {
    const { kernel, strategy, venue } = setup();
    venue.denyNext = { code: 'TRADING_HALTED', count: 1 };
    venue.fill(venue.at('BUY', -1).clientOrderId);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(7);
    expect(gridSummaryText(strategy.summaries()[0]!, 'USDT')).toContain('⏳ 1 level waiting: trading halted');
    kernel.bus.publish({ type: 'TradingStateChanged', from: 'HALTED', to: 'ACTIVE', reason: 'resume', time: T0 });
    expect(venue.submitted).toHaveLength(8);
    expect(venue.submitted[7]).toEqual(venue.submitted[6]);
  });

  it('a transient exchange rejection: the same order waits under a new id and goes out after its back-off', () => {
    const { kernel, clock, strategy, venue, refused } = setup();
    venue.fill(venue.at('BUY', -1).clientOrderId);
    const first = venue.at('SELL', 0);
    sentThenRejected(kernel, first, 'BINANCE_-1001', 'Internal error; unable to process your request.');
    expect(strategy.openOrderIds('G1')).not.toContain(first.clientOrderId);
    expect(strategy.summaries()[0]!.waiting).toEqual([{ cause: 'exchange', count: 1, since: T0 }]);
    // Not before the back-off, however many trades.
    clock.advance(retryDelayMs(1) - 1);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(7);
    clock.advance(1);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(8);
    const again = venue.submitted[7]!;
    expect(again.clientOrderId).toBe('tg_G1_8_S0');
    expect({ ...again, clientOrderId: first.clientOrderId }).toEqual(first);
    expect(strategy.openOrderIds('G1')).toContain(again.clientOrderId);

    // Refused again: the back-off doubles.
    sentThenRejected(kernel, again, 'HTTP_503');
    clock.advance(retryDelayMs(1));
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(8);
    clock.advance(retryDelayMs(2) - retryDelayMs(1));
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(9);
    expect(strategy.summaries()[0]!.waiting).toBeUndefined();
    // Its round trip still closes against the buy that opened it.
    venue.fill(venue.submitted[8]!.clientOrderId);
    expect(venue.of('GridRoundTrip')).toHaveLength(1);
    expect(refused).toEqual([]);
  });

  it('the codes: rate limits, timeouts, 5xx and "never placed" pass; balance, filters and bad parameters last', () => {
    for (const code of ['BINANCE_-1003', 'BINANCE_-1015', 'HTTP_429', 'HTTP_418']) expect(heldRejectionCause(code)).toBe('rate_limit');
    for (const code of ['BINANCE_-1001', 'BINANCE_-1021', 'BINANCE_-1007', 'TIMEOUT', 'HTTP_502', 'NOT_PLACED', 'NETWORK_ECONNRESET'])
      expect(heldRejectionCause(code)).toBe('exchange');
    expect(heldRejectionCause('TRADING_HALTED')).toBe('halt');
    for (const code of ['BINANCE_-2010', 'BINANCE_-1013', 'BINANCE_-1111', 'HTTP_400', 'VENUE_REJECTED', 'SOMETHING_NEW'])
      expect(heldRejectionCause(code)).toBeUndefined();
    expect([1, 2, 3, 7, 100].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 300_000, 300_000]);
  });
});

describe('a grid re-arm refused for a lasting reason', () => {
  it('is told once per level, urgently, and not retried', () => {
    const { kernel, strategy, venue, refused } = setup();
    venue.denyNext = { code: 'INSUFFICIENT_BALANCE', count: 2 };
    const buy = venue.at('BUY', -1).clientOrderId;
    venue.fill(buy, { quantity: fx('0.0005') });
    expect(refused).toEqual([
      {
        type: 'GridLevelRefused',
        gridId: 'G1',
        symbol: 'BTCUSDT',
        side: 'SELL',
        level: 0,
        price: fx('100000'),
        quantity: fx('0.00049'),
        code: 'INSUFFICIENT_BALANCE',
        message: 'denied by the test',
        time: T0,
      },
    ]);
    const note = describeEvent(refused[0]!, () => 'USDT')!;
    expect(note.urgent).toBe(true);
    expect(note.text).toBe(
      '🚫 Grid G1 level 0 SELL 0.00049 BTCUSDT @ 100000.00 was not placed: INSUFFICIENT_BALANCE: denied by the test. ' +
        'The level stays empty (not retried); /grids shows the grid, /stop G1 ends it.',
    );
    expect(strategy.summaries()[0]!.waiting).toBeUndefined();
    // The rest of the buy fills and its sell is refused again, at the same level: recorded, not told twice.
    venue.fill(buy);
    expect(venue.submitted).toHaveLength(8);
    expect(refused).toHaveLength(1);
    expect(strategy.summaries()[0]!.issues!.map((i) => i.code)).toEqual(['INSUFFICIENT_BALANCE', 'INSUFFICIENT_BALANCE']);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(8);

    // A lasting exchange rejection, of another level: told once, however often it comes.
    venue.fill(venue.at('BUY', -2).clientOrderId);
    const sell = venue.at('SELL', -1);
    sentThenRejected(kernel, sell, 'BINANCE_-2010', 'Account has insufficient balance for requested action.');
    sentThenRejected(kernel, sell, 'BINANCE_-2010', 'Account has insufficient balance for requested action.');
    expect(refused.map((r) => `${r.side} ${r.level} ${r.code}`)).toEqual(['SELL 0 INSUFFICIENT_BALANCE', 'SELL -1 BINANCE_-2010']);
    expect(strategy.openOrderIds('G1')).not.toContain(sell.clientOrderId);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted).toHaveLength(9);
  });

  it('is told once across a restart too: the snapshot keeps which levels were told', () => {
    const a = setup();
    a.venue.denyNext = { code: 'INSUFFICIENT_BALANCE', count: 1 };
    const buy = a.venue.at('BUY', -1);
    a.venue.fill(buy.clientOrderId, { quantity: fx('0.0005') });
    expect(a.refused.map((r) => `${r.side} ${r.level}`)).toEqual(['SELL 0']);
    // Through the store's schema, as a restart reads it.
    const snap = gridSnapshot.parse(JSON.parse(encodeJson(a.strategy.exportGrid('G1')))) as GridSnapshot;
    expect(snap.toldLasting).toEqual(['SELL 0']);

    const kernel = new BusHost(new ManualClock(T0 + 60_000), new SequentialIds());
    const strategy = new GridStrategy({ instrument: catalogInstrument });
    kernel.add(strategy);
    const venue = new FakeVenue(kernel);
    const refused: GridLevelRefused[] = [];
    kernel.bus.on('GridLevelRefused', (m) => refused.push(m));
    strategy.importGrids([snap]);
    // The rest of the buy fills after the restart; its sell at level 0 is refused again for the same lasting reason.
    venue.denyNext = { code: 'INSUFFICIENT_BALANCE', count: 1 };
    kernel.bus.publish(aFillOf(buy, { quantity: buy.quantity - fx('0.0005'), cumQty: buy.quantity, time: T0 + 60_000, tradeId: 99 }));
    expect(strategy.summaries()[0]!.issues!.map((i) => i.code)).toEqual(['INSUFFICIENT_BALANCE', 'INSUFFICIENT_BALANCE']);
    expect(refused).toEqual([]);
  });

  it("a grid's raw risk denials are routine notes; the grid's own GridLevelRefused is the urgent one", () => {
    const { venue } = setup();
    venue.denyNext = { code: 'INSUFFICIENT_BALANCE', count: 1 };
    venue.fill(venue.at('BUY', -1).clientOrderId);
    const denial = venue.of('OrderDenied')[0]!;
    expect(describeEvent(denial, () => 'USDT')).toMatchObject({ kind: 'denial', urgent: false });
    const manual = { ...denial, intent: { ...denial.intent, owner: { kind: 'manual' as const } } };
    expect(describeEvent(manual, () => 'USDT')?.urgent).toBeUndefined();
  });
});

describe('held levels across a restart', () => {
  it('keep why and since, and are judged again on the first trade after the restart', () => {
    const a = setup();
    a.venue.denyNext = { code: 'STALE_MARKET_DATA', count: 1 };
    a.venue.fill(a.venue.at('BUY', -1).clientOrderId);
    // Through JSON as the store writes it: bigints as {$big}.
    const snap = decodeJson<GridSnapshot>(encodeJson(a.strategy.exportGrid('G1')));
    expect(snap.held).toMatchObject([
      { clientOrderId: 'tg_G1_7_S0', why: { cause: 'stale', code: 'STALE_MARKET_DATA', since: T0, attempts: 0 } },
    ]);

    const clock = new ManualClock(T0 + 3_600_000);
    const kernel = new BusHost(clock, new SequentialIds());
    const strategy = new GridStrategy({ instrument: catalogInstrument });
    kernel.add(strategy);
    const venue = new FakeVenue(kernel);
    strategy.importGrids([snap]);
    expect(strategy.summaries()[0]!.waiting).toEqual([{ cause: 'stale', count: 1, since: T0 }]);
    venue.tick('BTCUSDT', fx('100000'));
    expect(venue.submitted.map((i) => i.clientOrderId)).toEqual(['tg_G1_7_S0']);
    expect(strategy.summaries()[0]!.waiting).toBeUndefined();
  });

  it("the store's schema reads a snapshot with reasons, and one written before them", () => {
    const a = setup();
    a.venue.denyNext = { code: 'STALE_MARKET_DATA', count: 1 };
    a.venue.fill(a.venue.at('BUY', -1).clientOrderId);
    a.venue.fill(a.venue.at('BUY', -2).clientOrderId);
    sentThenRejected(a.kernel, a.venue.at('SELL', -1), 'HTTP_503', 'busy');
    const s = a.strategy.exportGrid('G1')!;
    expect(s.held.map((h) => h.why?.cause)).toEqual(['stale', 'exchange']);
    const stored = (g: object): unknown => JSON.parse(encodeJson(g));
    expect(gridSnapshot.parse(stored(s))).toEqual(s);
    const old = { ...s, held: s.held.map(({ why: _why, ...h }) => h) };
    expect(gridSnapshot.parse(stored(old))).toEqual(old);
    expect(gridSnapshot.safeParse(stored({ ...s, held: [{ ...s.held[0]!, why: { ...s.held[0]!.why!, cause: 'later' } }] })).success).toBe(
      false,
    );
  });

  it('an older snapshot (held without a reason) reads back as held for a halt', () => {
    const a = setup();
    a.venue.denyNext = { code: 'TRADING_HALTED', count: 1 };
    a.venue.fill(a.venue.at('BUY', -1).clientOrderId);
    const s = a.strategy.exportGrid('G1')!;
    const old: GridSnapshot = { ...s, held: s.held.map(({ why: _why, ...h }) => h) };
    const kernel = new BusHost(new ManualClock(T0), new SequentialIds());
    const strategy = new GridStrategy({ instrument: catalogInstrument });
    kernel.add(strategy);
    const venue = new FakeVenue(kernel);
    strategy.importGrids([old]);
    expect(strategy.summaries()[0]!.waiting).toEqual([{ cause: 'halt', count: 1, since: T0 }]);
    kernel.bus.publish({ type: 'TradingStateChanged', from: 'HALTED', to: 'ACTIVE', reason: 'resume', time: T0 });
    expect(venue.submitted.map((i) => i.clientOrderId)).toEqual(['tg_G1_7_S0']);
  });
});
