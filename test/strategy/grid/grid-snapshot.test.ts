import { decodeJson, encodeJson } from '../../../src/domain/index.js';
import { describe, expect, it } from 'vitest';
import {
  type DenialCode,
  type EngineEvent,
  type Fixed,
  type Instrument,
  type Message,
  type OrderFilled,
  type OrderIntent,
  ZERO,
  catalogInstrument,
  fx,
} from '../../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../../src/engine/index.js';
import { Portfolio, type PortfolioState } from '../../../src/portfolio/index.js';
import { type GridParams, type GridPreview, type GridSnapshot, GridStrategy, buildGridPreview } from '../../../src/strategy/index.js';
import { aFillOf, aTradeTicked } from '../../kit/builders.js';

const FEE = fx('0.001');
/** What the strategy itself publishes: the messages a restored grid must repeat exactly. */
const OUTPUTS = ['GridStarted', 'GridStopped', 'GridRoundTrip'] as const;

/** One process: a kernel, a strategy, and everything the strategy published. */
class Proc {
  readonly kernel = new BusHost(new ManualClock(1_000), new SequentialIds());
  /** The one book of each grid's round trips and profit, saved and restored beside the grids as the store does. */
  readonly portfolio = new Portfolio();
  readonly strategy = new GridStrategy({ instrument: catalogInstrument, profitOf: (gridId) => this.portfolio.gridProfit(gridId) });
  readonly out: Message[] = [];
  readonly intents = new Map<string, OrderIntent>();
  deny: { code: DenialCode; count: number } | undefined;
  autoCancel = true;

  constructor() {
    this.kernel.add(this.portfolio).add(this.strategy);
    const bus = this.kernel.bus;
    for (const type of OUTPUTS) bus.on(type, (m) => this.out.push(m));
    // The test is the one handler of the grid's commands, and records them with its events.
    bus.handle('SubmitOrder', (m) => {
      this.out.push(m);
      this.intents.set(m.intent.clientOrderId, m.intent);
      if (this.deny && this.deny.count > 0) {
        this.deny.count -= 1;
        bus.publish({ type: 'OrderDenied', intent: m.intent, code: this.deny.code, message: 'denied by the test', numbers: {} });
      }
    });
    // Every cancel the grid sends is for an order that may still fill: the venue confirms it.
    bus.handle('CancelOrder', (m) => {
      this.out.push(m);
      if (!this.autoCancel) return;
      const side = /_B-?\d+$/.test(m.clientOrderId) ? 'BUY' : 'SELL';
      const gridId = m.clientOrderId.split('_')[1] as string;
      bus.publish({
        type: 'OrderCanceled',
        clientOrderId: m.clientOrderId,
        symbol: m.symbol,
        side,
        owner: { kind: 'grid', gridId },
        time: 1_000,
        filledQty: ZERO,
        reason: 'canceled',
      });
    });
  }

  publish(m: EngineEvent): void {
    this.kernel.bus.publish(m);
  }
}

/**
 * A venue shared by the original process and, once restored, its twin: each fill is computed once (from the original's
 * orders) and delivered to both, so any difference in what they publish comes from the grids alone.
 */
class Market {
  readonly procs: Proc[] = [new Proc()];
  private readonly filled = new Map<string, Fixed>();
  private trade = 1;

  get a(): Proc {
    return this.procs[0] as Proc;
  }

  fill(clientOrderId: string, o: { quantity?: Fixed; price?: Fixed; commission?: Fixed } = {}): OrderFilled {
    const intent = this.a.intents.get(clientOrderId);
    if (!intent) throw new Error(`no order ${clientOrderId}`);
    const before = this.filled.get(clientOrderId) ?? ZERO;
    const quantity = o.quantity ?? intent.quantity - before;
    const e = aFillOf(intent, { ...o, quantity, cumQty: before + quantity, tradeId: this.trade++ });
    this.filled.set(clientOrderId, e.cumQty);
    this.publish(e);
    return e;
  }

  publish(m: EngineEvent): void {
    for (const p of this.procs) p.publish(m);
  }

  tick(price: Fixed): void {
    this.publish(aTradeTicked({ price, tradeId: this.trade++ }));
  }

  /** The latest order of the original for this grid, side and level. */
  at(gridId: string, side: 'BUY' | 'SELL', level: number): string {
    const tail = `_${side === 'BUY' ? 'B' : 'S'}${level}`;
    const hit = [...this.a.intents.keys()].reverse().find((id) => id.startsWith(`tg_${gridId}_`) && id.endsWith(tail));
    if (!hit) throw new Error(`no ${side} at ${level} in ${gridId}`);
    return hit;
  }

  /** Exports every grid of the original, sends it through JSON, and imports it into a fresh process. */
  restart(): Proc {
    const snapshots = this.a.strategy.gridIds().map((id) => this.a.strategy.exportGrid(id) as GridSnapshot);
    const b = new Proc();
    b.strategy.importGrids(fromJson(toJson(snapshots)));
    b.portfolio.importState(decodeJson<PortfolioState>(toJson(this.a.portfolio.exportState())));
    this.procs.push(b);
    return b;
  }
}

// The store's own codec.
const toJson = encodeJson;
const fromJson = (s: string): GridSnapshot[] => decodeJson<GridSnapshot[]>(s);

function preview(over: Partial<GridParams> = {}): GridPreview {
  const params: GridParams = { symbol: 'BTCUSDT', levels: 3, spacingPct: fx('1'), amountQuote: fx('100'), spacing: 'arithmetic', ...over };
  const res = buildGridPreview({
    params,
    instrument: catalogInstrument(params.symbol) as Instrument,
    referencePrice: fx('100000'),
    baseFree: fx('1'),
    quoteFree: fx('1000000'),
    makerFee: FEE,
    takerFee: FEE,
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

function start(p: Proc, over: Partial<GridParams> = {}): string {
  const r = p.strategy.startGrid(preview(over));
  if (!r.ok) throw new Error(r.error.message);
  return r.value.gridId;
}

/** True when the value holds only what the snapshot promises: no Map, class instance, function or undefined in arrays. */
function isPlain(v: unknown): boolean {
  if (v === null || ['string', 'number', 'boolean', 'bigint'].includes(typeof v)) return true;
  if (Array.isArray(v)) return v.every((x) => x !== undefined && isPlain(x));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.values(v as object).every((x) => x !== undefined && isPlain(x));
  return false;
}

describe('grid snapshots', () => {
  it('continues a restored grid exactly as the original: same ids, prices, quantities, round trips and summaries', () => {
    const m = new Market();
    const a = m.a;
    start(a);
    start(a, { levels: 2, spacingPct: fx('0.5') });
    m.fill(m.at('G1', 'BUY', -1)); // → closer S0 holding one lot
    m.fill(m.at('G1', 'BUY', -2), { quantity: fx('0.00003'), commission: ZERO }); // under the minimum: carried
    m.fill(m.at('G1', 'SELL', 1)); // → closer B0
    m.fill(m.at('G1', 'SELL', 0), { quantity: fx('0.0003') }); // a round trip; the lot's rest stays open
    m.fill(m.at('G2', 'BUY', -1));
    expect(a.out.filter((x) => x.type === 'GridRoundTrip')).toHaveLength(1);

    const mark = a.out.length;
    const b = m.restart();
    expect(b.out).toEqual([]);
    expect(b.strategy.gridIds()).toEqual(['G1', 'G2']);
    expect(b.strategy.summaries()).toEqual(a.strategy.summaries());
    for (const id of ['G1', 'G2']) {
      expect(b.strategy.openOrderIds(id)).toEqual(a.strategy.openOrderIds(id));
      expect(b.strategy.exportGrid(id)).toEqual(a.strategy.exportGrid(id));
    }

    // A fill reported again after the restart is dropped by the order tracker (its saved trade ids), which the grid trusts:
    // the one exactly-once record (order-tracker-snapshot.test.ts). Here the grid hears only new fills.
    m.fill(m.at('G1', 'BUY', -2), { quantity: fx('0.00004'), commission: ZERO }); // joins the carry: now placeable
    m.fill(m.at('G1', 'SELL', 0)); // closes the rest of the lot
    m.fill(m.at('G1', 'BUY', 0)); // closes the sell→buy cycle
    m.fill(m.at('G1', 'SELL', -1)); // closes both carried lots
    m.fill(m.at('G2', 'SELL', 0), { quantity: fx('0.0004') });
    m.fill(m.at('G2', 'SELL', 1));
    start(a, { levels: 1 });
    start(b, { levels: 1 });
    a.strategy.stopGrid('G1', 'user');
    b.strategy.stopGrid('G1', 'user');

    const after = a.out.slice(mark);
    expect(b.out).toEqual(after);
    const trips = after.filter((x) => x.type === 'GridRoundTrip');
    expect(trips.map((t) => [t.gridId, t.quantity])).toEqual([
      ['G1', fx('0.00071')], // the rest of the level's 0.00101
      ['G1', fx('0.00099')],
      // the level's shares of the buy's two fills: 0.00102 × 0.00003 / 0.00103 floored, then up to 0.00102 × 0.00007 / 0.00103
      ['G1', fx('0.00002')],
      ['G1', fx('0.00004')],
      ['G2', fx('0.0004')],
    ]);
    const submitted = after.filter((x) => x.type === 'SubmitOrder').map((x) => x.intent.clientOrderId);
    expect(submitted.slice(0, 4)).toEqual(['tg_G1_10_S-1', 'tg_G1_11_B-1', 'tg_G1_12_S1', 'tg_G1_13_B-2']);
    expect(submitted.filter((id) => id.startsWith('tg_G3_'))).toHaveLength(2); // a new grid never reuses a restored id
    expect(b.strategy.summaries()).toEqual(a.strategy.summaries());
    expect(b.strategy.summaries().map((s) => [s.gridId, s.status, s.roundTrips])).toEqual([
      ['G1', 'stopped', 5],
      ['G2', 'running', 1],
      ['G3', 'running', 0],
    ]);
  });

  it('exports plain data that later fills do not change, keeping the placed level prices', () => {
    const m = new Market();
    start(m.a, { stopLoss: fx('95000') });
    m.fill(m.at('G1', 'BUY', -1));
    const s = m.a.strategy.exportGrid('G1') as GridSnapshot;
    expect(isPlain(s)).toBe(true);
    expect(s.version).toBe(1);
    expect(s.prices).toEqual(['97000', '98000', '99000', '100000', '101000', '102000', '103000'].map(fx));
    expect(s.seq).toBe(7);
    const copy = toJson(s);
    m.fill(m.at('G1', 'SELL', 0), { quantity: fx('0.0003') });
    expect(toJson(s)).toBe(copy);
    expect(m.a.strategy.exportGrid('G9')).toBeUndefined();
  });

  it('restores a stopped grid as stopped and a grid with sl/tp still watched', () => {
    const m = new Market();
    const a = m.a;
    start(a, { takeProfit: fx('104000') });
    start(a, { stopLoss: fx('95000'), takeProfit: fx('105000') });
    a.strategy.stopGrid('G1', 'user');
    m.fill(m.at('G2', 'BUY', -1));
    m.fill(m.at('G2', 'BUY', -2), { quantity: fx('0.0005') });
    const mark = a.out.length;
    const b = m.restart();
    expect(b.strategy.summaries().map((s) => [s.gridId, s.status, s.stopReason, s.openOrders])).toEqual([
      ['G1', 'stopped', 'user', 0],
      ['G2', 'running', undefined, 7],
    ]);

    m.tick(fx('104500')); // through G1's take-profit: it is stopped, so nothing
    m.tick(fx('95000.01'));
    expect(b.out).toEqual([]);
    m.tick(fx('95000'));
    expect(b.out).toEqual(a.out.slice(mark));
    const cancels = b.out.filter((x) => x.type === 'CancelOrder');
    expect(cancels).toHaveLength(7);
    expect(b.out.filter((x) => x.type === 'GridStopped')).toEqual([
      { type: 'GridStopped', gridId: 'G2', symbol: 'BTCUSDT', reason: 'stop_loss', triggerPrice: fx('95000') },
    ]);
    const exit = b.out.at(-1);
    expect(
      exit?.type === 'SubmitOrder' && [exit.intent.clientOrderId, exit.intent.type, exit.intent.quantity, exit.intent.reducesPosition],
    ).toEqual([
      'tg_G2_9_S0',
      'MARKET',
      fx('0.00151'), // 0.00152 less 0.00000152 of base fees, down to the step
      true,
    ]);
    expect(b.strategy.summaries()).toEqual(a.strategy.summaries());
  });

  it('restores an sl exit waiting for its cancels: the market sell goes out once they report', () => {
    const m = new Market();
    const a = m.a;
    start(a, { stopLoss: fx('95000') });
    m.fill(m.at('G1', 'BUY', -1));
    a.autoCancel = false;
    m.tick(fx('94000'));
    const open = a.strategy.openOrderIds('G1');
    expect(open).toHaveLength(6);
    expect(a.strategy.exportGrid('G1')).toMatchObject({
      status: 'stopped',
      stopReason: 'stop_loss',
      exitPending: true,
      exitPrice: fx('94000'),
    });
    const mark = a.out.length;
    const b = m.restart();
    b.autoCancel = false;
    expect(b.strategy.exportGrid('G1')).toEqual(a.strategy.exportGrid('G1'));
    m.fill(m.at('G1', 'BUY', -2)); // lands before its cancel: sold too, not re-armed
    for (const id of open.filter((x) => x !== m.at('G1', 'BUY', -2))) {
      const side = /_B-?\d+$/.test(id) ? 'BUY' : 'SELL';
      m.publish({
        type: 'OrderCanceled',
        clientOrderId: id,
        symbol: 'BTCUSDT',
        side,
        owner: { kind: 'grid', gridId: 'G1' },
        time: 1_000,
        filledQty: ZERO,
        reason: 'canceled',
      });
    }
    expect(b.out).toEqual(a.out.slice(mark));
    const exit = b.out.at(-1);
    expect(exit?.type === 'SubmitOrder' && [exit.intent.clientOrderId, exit.intent.type, exit.intent.quantity]).toEqual([
      'tg_G1_8_S0',
      'MARKET',
      fx('0.00204'), // 0.00102 + 0.00103 less their base fees, down to the step
    ]);
    expect(b.strategy.summaries()).toEqual(a.strategy.summaries());
  });

  it('releases re-arms held while trading was halted once trading is active again after a restart', () => {
    const m = new Market();
    const a = m.a;
    start(a);
    a.deny = { code: 'TRADING_HALTED', count: 1 };
    m.fill(m.at('G1', 'BUY', -1));
    const held = 'tg_G1_7_S0';
    expect(a.strategy.openOrderIds('G1')).toContain(held);
    const s = a.strategy.exportGrid('G1') as GridSnapshot;
    expect(s.held.map((h) => h.clientOrderId)).toEqual([held]);

    const mark = a.out.length;
    const b = m.restart();
    expect(b.strategy.summaries()[0]?.issues?.map((i) => i.code)).toEqual(['TRADING_HALTED']);
    m.publish({ type: 'TradingStateChanged', from: 'HALTED', to: 'ACTIVE', reason: 'resume', time: 1_000 });
    const resent = b.out.filter((x) => x.type === 'SubmitOrder').map((x) => x.intent);
    expect(resent).toEqual([
      {
        clientOrderId: held,
        symbol: 'BTCUSDT',
        side: 'SELL',
        type: 'LIMIT',
        price: fx('100000'),
        timeInForce: 'GTC',
        quantity: fx('0.00101'), // the level quantity the 0.00102 buy was sized for
        owner: { kind: 'grid', gridId: 'G1' },
        reducesPosition: false,
      },
    ]);
    m.fill(held);
    expect(b.out).toEqual(a.out.slice(mark));
    expect(b.out.filter((x) => x.type === 'GridRoundTrip')).toHaveLength(1);
    expect(b.strategy.summaries()).toEqual(a.strategy.summaries());
  });

  it('refuses a snapshot of an unknown version, an unknown symbol or a grid it already has, and adds nothing', () => {
    const m = new Market();
    start(m.a);
    start(m.a, { levels: 2 });
    const [g1, g2] = m.a.strategy.gridIds().map((id) => m.a.strategy.exportGrid(id) as GridSnapshot) as [GridSnapshot, GridSnapshot];
    const fresh = new Proc();
    expect(() => fresh.strategy.importGrids([g1, { ...g2, version: 2 } as unknown as GridSnapshot])).toThrow(/unknown version 2/);
    expect(() => fresh.strategy.importGrids([{ ...g1, params: { ...g1.params, symbol: 'FOOUSDT' } }])).toThrow(/unknown symbol FOOUSDT/);
    expect(() => fresh.strategy.importGrids([{ ...g1, prices: g1.prices.slice(1) }])).toThrow(/6 prices for 3 levels/);
    expect(fresh.strategy.gridIds()).toEqual([]);
    fresh.strategy.importGrids([g1]);
    expect(() => fresh.strategy.importGrids([g1])).toThrow(/already exists/);
    expect(fresh.strategy.gridIds()).toEqual(['G1']);
  });
});
