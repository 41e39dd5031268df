import { describe, expect, it } from 'vitest';
import { aReport, aTrade, anOrderSent } from '../kit/builders.js';
import {
  type ExecutionReport,
  type Message,
  type OrderRecord,
  catalogInstrument,
  fx,
  decodeJson,
  encodeJson,
} from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { OrderTracker, type TrackedOrderSnapshot } from '../../src/execution/index.js';
import { expectPlain } from '../kit/plain-data.js';

/** The store's own codec: a snapshot that survives it is plain data. */
const toJson = encodeJson;
const fromJson = decodeJson;

const EVENTS = ['OrderAccepted', 'OrderFilled', 'OrderCanceled', 'OrderRejected', 'OrderUnknown', 'OrderExpired'] as const;

function node(time = 1_000) {
  const clock = new ManualClock(time);
  const kernel = new BusHost(clock, new SequentialIds());
  const tracker = new OrderTracker(catalogInstrument);
  kernel.add(tracker);
  const seen: Message[] = [];
  for (const t of EVENTS) kernel.bus.on(t, (m) => seen.push(m));
  const send = (id: string, over: { symbol?: string; side?: 'BUY' | 'SELL'; orderType?: 'LIMIT' | 'MARKET'; quantity?: bigint } = {}) =>
    kernel.bus.publish(
      anOrderSent(
        over.orderType === 'MARKET'
          ? {
              clientOrderId: id,
              symbol: over.symbol ?? 'BTCUSDT',
              side: over.side ?? 'BUY',
              type: 'MARKET',
              price: undefined,
              timeInForce: undefined,
              quantity: over.quantity ?? fx('0.002'),
            }
          : { clientOrderId: id, symbol: over.symbol ?? 'BTCUSDT', side: over.side ?? 'BUY', quantity: over.quantity ?? fx('0.002') },
        clock.now(),
      ),
    );
  const reported = (r: ExecutionReport) => kernel.bus.publish({ type: 'OrderReported', report: r });
  return { clock, kernel, tracker, seen, send, reported };
}

/** A report of order `id`, under an exchange order id of its own. */
const report = (id: string, over: Partial<ExecutionReport> = {}): ExecutionReport =>
  aReport({ clientOrderId: id, exchangeOrderId: `x-${id}`, ...over });

const half = (id: string, tradeId: number) =>
  report(id, { status: 'PARTIALLY_FILLED', cumQty: fx('0.001'), cumQuote: fx('95'), trade: aTrade(tradeId, '0.001') });
const full = (id: string, tradeId: number) =>
  report(id, { status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190'), trade: aTrade(tradeId, '0.001') });

/** A tracker holding one order in each interesting state. */
function busyTracker() {
  const a = node();
  a.send('tg_G1_1_B-1'); // partly filled
  a.send('tg_G1_2_B-2'); // filled (terminal, retained)
  a.send('tg_G1_3_S1', { side: 'SELL', symbol: 'ETHUSDT' }); // accepted
  a.send('tg_m_4', { orderType: 'MARKET' }); // placement outcome unknown, no price
  a.send('tg_G1_5_B-3'); // canceled (terminal, retained)
  a.reported(report('tg_G1_1_B-1'));
  a.reported(half('tg_G1_1_B-1', 11));
  a.clock.advance(10);
  a.reported(report('tg_G1_2_B-2'));
  a.reported(half('tg_G1_2_B-2', 21));
  a.reported(full('tg_G1_2_B-2', 22));
  a.reported(report('tg_G1_3_S1', { symbol: 'ETHUSDT', side: 'SELL' }));
  a.kernel.bus.publish({
    type: 'OrderSubmissionFailed',
    clientOrderId: 'tg_m_4',
    outcome: 'unknown',
    code: 'BINANCE_-1007',
    message: 'Timeout',
  });
  a.clock.advance(10);
  a.reported(report('tg_G1_5_B-3', { status: 'CANCELED' }));
  return a;
}

const exportAll = (t: OrderTracker): TrackedOrderSnapshot[] => t.orderIds().map((id) => t.exportOrder(id) as TrackedOrderSnapshot);
const byId = (rs: readonly OrderRecord[]) => [...rs].sort((x, y) => (x.intent.clientOrderId < y.intent.clientOrderId ? -1 : 1));

describe('order tracker snapshots', () => {
  it('exports every order it holds as plain data that survives JSON', () => {
    const a = busyTracker();
    expect(a.tracker.orderIds().sort()).toEqual(['tg_G1_1_B-1', 'tg_G1_2_B-2', 'tg_G1_3_S1', 'tg_G1_5_B-3', 'tg_m_4']);
    const snaps = exportAll(a.tracker);
    for (const s of snaps) expectPlain(s);
    expect(fromJson(toJson(snaps))).toEqual(snaps);
    const filled = a.tracker.exportOrder('tg_G1_2_B-2');
    expect(filled).toMatchObject({ version: 1, tradeIds: [21, 22], retained: true, record: { status: 'filled', filledQty: fx('0.002') } });
    expect(a.tracker.exportOrder('tg_G1_1_B-1')).toMatchObject({ tradeIds: [11], retained: false });
    expect(a.tracker.exportOrder('tg_G1_1_B-1')).not.toHaveProperty('retiredSeq');
    expect(a.tracker.exportOrder('tg_m_4')?.record.intent).not.toHaveProperty('price');
    expect(a.tracker.exportOrder('tg_nope')).toBeUndefined();
  });

  it('a snapshot does not share state with the live tracker', () => {
    const a = busyTracker();
    const before = a.tracker.exportOrder('tg_G1_1_B-1') as TrackedOrderSnapshot;
    const copy = fromJson<TrackedOrderSnapshot>(toJson(before));
    a.reported(full('tg_G1_1_B-1', 12));
    expect(before).toEqual(copy);
  });

  it('imports records, counts and trade ids without publishing anything', () => {
    const a = busyTracker();
    const b = node(a.clock.now());
    b.tracker.importOrders(fromJson(toJson(exportAll(a.tracker))));
    expect(b.seen).toEqual([]);
    expect(b.tracker.orderIds().sort()).toEqual(a.tracker.orderIds().sort());
    for (const id of a.tracker.orderIds()) expect(b.tracker.get(id)).toEqual(a.tracker.get(id));
    expect(byId(b.tracker.open())).toEqual(byId(a.tracker.open()));
    expect(b.tracker.openCount()).toBe(3);
    expect(b.tracker.openCount('BTCUSDT')).toBe(2);
    expect(b.tracker.openCount('ETHUSDT')).toBe(1);
    expect(exportAll(b.tracker)).toEqual(exportAll(a.tracker));
  });

  it('after import books nothing for trades already booked and exactly the new ones', () => {
    const a = busyTracker();
    const b = node(a.clock.now());
    b.tracker.importOrders(fromJson(toJson(exportAll(a.tracker))));

    // Reconciliation replays what the venue already told the bot before the restart.
    b.reported(report('tg_G1_1_B-1'));
    b.reported(half('tg_G1_1_B-1', 11));
    b.reported(half('tg_G1_2_B-2', 21));
    b.reported(full('tg_G1_2_B-2', 22));
    b.reported(report('tg_G1_3_S1', { symbol: 'ETHUSDT', side: 'SELL' }));
    b.reported(report('tg_G1_5_B-3', { status: 'CANCELED' }));
    expect(b.seen).toEqual([]);

    // A trade that happened while the bot was down is booked once, for its own quantity.
    b.reported(full('tg_G1_1_B-1', 12));
    b.reported(full('tg_G1_1_B-1', 12));
    expect(b.seen).toHaveLength(1);
    expect(b.seen[0]).toMatchObject({
      type: 'OrderFilled',
      clientOrderId: 'tg_G1_1_B-1',
      tradeId: 12,
      quantity: fx('0.001'),
      quote: fx('95'),
      complete: true,
    });
    expect(b.tracker.openCount('BTCUSDT')).toBe(1);

    // The unknown MARKET order settles normally.
    b.reported(
      report('tg_m_4', { type: 'MARKET', status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('190'), trade: aTrade(41, '0.002') }),
    );
    expect(b.seen.map((m) => m.type)).toEqual(['OrderFilled', 'OrderFilled']);
    expect(b.tracker.openCount()).toBe(1);
    expect(b.tracker.exportOrder('tg_m_4')).toMatchObject({ tradeIds: [41], retained: true });
  });

  it('keeps the retention order across a restart, whatever order the snapshots come in', () => {
    const a = busyTracker();
    const snaps = exportAll(a.tracker);
    const seqOf = (id: string) => snaps.find((s) => s.record.intent.clientOrderId === id)?.retiredSeq as number;
    expect(seqOf('tg_G1_2_B-2')).toBeLessThan(seqOf('tg_G1_5_B-3'));

    const b = node(a.clock.now());
    b.tracker.importOrders(fromJson(toJson([...snaps].reverse())));
    // An order retired after the restart goes behind every restored one.
    b.reported(report('tg_G1_3_S1', { symbol: 'ETHUSDT', side: 'SELL', status: 'CANCELED' }));
    const later = b.tracker.exportOrder('tg_G1_3_S1')?.retiredSeq as number;
    expect(later).toBeGreaterThan(seqOf('tg_G1_5_B-3'));
    expect(b.tracker.openCount()).toBe(2);
  });

  it('forgets the oldest finished orders first once the imported ones exceed the retention', () => {
    const a = node();
    const template = busyTracker().tracker.exportOrder('tg_G1_2_B-2') as TrackedOrderSnapshot;
    const n = 10_001;
    const snaps: TrackedOrderSnapshot[] = [];
    for (let i = n; i >= 1; i--) {
      const id = `tg_G7_${i}_B-1`;
      snaps.push({ ...template, record: { ...template.record, intent: { ...template.record.intent, clientOrderId: id } }, retiredSeq: i });
    }
    a.tracker.importOrders(snaps);
    expect(a.tracker.get('tg_G7_1_B-1')).toBeUndefined();
    expect(a.tracker.get('tg_G7_2_B-1')?.status).toBe('filled');
    expect(a.tracker.orderIds()).toHaveLength(10_000);
    expect(a.tracker.openCount()).toBe(0);
  });

  it('refuses a snapshot of an unknown version', () => {
    const a = busyTracker();
    const s = a.tracker.exportOrder('tg_G1_1_B-1') as TrackedOrderSnapshot;
    const b = node();
    expect(() => b.tracker.importOrders([{ ...s, version: 2 as unknown as 1 }])).toThrow(/version/);
  });
});
