import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPaperKernel } from '../../src/app/paper-kernel.js';
import {
  type Fixed,
  type GridRoundTrip,
  type Instrument,
  type OrderFilled,
  ZERO,
  catalogInstrument,
  fixed,
  fx,
} from '../../src/domain/index.js';
import { ManualClock, SequentialIds } from '../../src/engine/index.js';
import { loadTape } from '../../src/sandbox/index.js';
import { buildGridPreview } from '../../src/strategy/index.js';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data');
const MAKER = fx('0.001');

/** The whole engine on a real day of BTCUSDT (2020-01-01: 7,195 → 7,254 → 7,150 and back) with one grid. */
function replayDay() {
  const tape = loadTape(`${DATA}/BTCUSDT-1m-2020-01-01.csv`);
  if (!tape.ok) throw new Error(tape.error.message);
  const btc = catalogInstrument('BTCUSDT') as Instrument;
  const clock = new ManualClock(0);
  const engine = buildPaperKernel({
    instruments: [btc],
    balances: { USDT: fx('10000') },
    fees: { maker: MAKER, taker: fx('0.001') },
    limits: { maxOrderNotional: fx('5000'), maxOpenOrdersPerSymbol: 100, priceBandPct: fx('10') },
    source: tape.value,
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined, error: () => undefined },
  });
  const fills: OrderFilled[] = [];
  const trips: GridRoundTrip[] = [];
  engine.host.bus.on('OrderFilled', (m) => fills.push(m));
  engine.host.bus.on('GridRoundTrip', (m) => trips.push(m));
  const denied: string[] = [];
  engine.host.bus.on('OrderDenied', (m) => denied.push(`${m.code}: ${m.message}`));
  return { engine, fills, trips, denied, btc };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

/** Starts a grid around the tape's first price, with no BTC in the account (so it buys the sell side at market). */
function startGrid(engine: ReturnType<typeof replayDay>['engine'], levels: number, spacingPct: string) {
  engine.pump.pump(1);
  const instrument = engine.instruments.get('BTCUSDT') as Instrument;
  const referencePrice = engine.market.lastPrice('BTCUSDT') as Fixed;
  const preview = buildGridPreview({
    params: { symbol: 'BTCUSDT', levels, spacingPct: fx(spacingPct), amountQuote: fx('100'), spacing: 'arithmetic' },
    instrument,
    referencePrice,
    baseFree: ZERO,
    quoteFree: fx('10000'),
    makerFee: MAKER,
    takerFee: fx('0.001'),
  });
  if (!preview.ok) throw new Error(preview.error.message);
  expect(engine.grids.startGrid(preview.value).ok).toBe(true);
  return { preview: preview.value, ref: referencePrice };
}

describe('grid on a replayed day of BTCUSDT', () => {
  it('re-arms across the whole up-and-down day and books every round trip exactly', async () => {
    const { engine, fills, trips, denied, btc } = replayDay();
    await engine.start();
    startGrid(engine, 10, '0.1');
    // Pump in slices so the venue's answers (promises) land between them, as the event loop would deliver them.
    while (!engine.pump.ended) {
      engine.pump.pump(200);
      await settle();
    }
    await engine.executor.settled();

    expect(denied).toEqual([]);
    expect(trips.length).toBeGreaterThan(20);
    const levelsFilled = new Set(fills.filter((f) => f.owner.kind === 'grid').map((f) => `${f.side}@${fixed.format(f.price)}`));
    expect(levelsFilled.size).toBeGreaterThan(8); // both sides, several levels: the day went up and down through the grid

    for (const t of trips) {
      expect(t.sellPrice).toBeGreaterThan(t.buyPrice);
      expect(t.buyQuote).toBe(fixed.mul(t.quantity, t.buyPrice));
      expect(t.sellQuote).toBe(fixed.mul(t.quantity, t.sellPrice));
      expect(t.profit).toBe(t.sellQuote - t.buyQuote - t.feesQuote);
      // Both legs paid the maker fee. The buy paid it in base on slightly more than was sold (the sell is the buy net
      // of that fee, floored to the step), so its fee sits between the two; allocation may move a unit of rounding.
      const low = fixed.mul(t.buyQuote + t.sellQuote, MAKER) - 3n;
      const grossBuyBound = fixed.mul(t.quantity + fixed.mul(t.quantity, fx('0.0011')) + btc.filters.lotSize.stepSize, t.buyPrice);
      const high = fixed.mul(grossBuyBound + t.sellQuote, MAKER) + 3n;
      expect(t.feesQuote).toBeGreaterThanOrEqual(low);
      expect(t.feesQuote).toBeLessThanOrEqual(high);
    }

    // The portfolio's grid profit is the sum of the round trips, to the last unit.
    const total = trips.reduce((s, t) => s + t.profit, ZERO);
    expect(engine.portfolio.pnl().grids[0]?.profit).toBe(total);
    expect(engine.portfolio.pnl().grids[0]?.roundTrips).toBe(trips.length);

    // The position is the BTC the account really holds (it started with none; buy fees were taken in BTC).
    const balances = await engine.gateway.balances();
    const btcHeld = balances.ok ? balances.value.find((b) => b.asset === 'BTC') : undefined;
    expect(engine.portfolio.position('BTCUSDT')?.quantity).toBe((btcHeld?.free ?? 0n) + (btcHeld?.locked ?? 0n));

    // The bot's open orders are exactly the venue's.
    const venueOpen = await engine.gateway.openOrders('BTCUSDT');
    expect(venueOpen.ok && venueOpen.value.map((o) => o.clientOrderId).sort()).toEqual(
      engine.tracker
        .open()
        .map((o) => o.intent.clientOrderId)
        .sort(),
    );
    await engine.stop();
  });

  it('books a fill reported twice once, and a tick burst through a level never yields a second order', async () => {
    const { engine, fills } = replayDay();
    await engine.start();
    const { preview } = startGrid(engine, 2, '0.1');
    await engine.executor.settled();
    const sent: string[] = [];
    engine.host.bus.on('OrderSent', (m) => sent.push(m.clientOrderId));
    const buy = preview.levels.find((l) => l.index === -1)!;

    // A burst of trades through the buy level while its re-armed sell is in flight.
    const bus = engine.host.bus;
    for (let i = 0; i < 50; i++) {
      bus.publish({
        type: 'TradeTicked',
        tick: {
          symbol: 'BTCUSDT',
          price: buy.price - fx('1'),
          quantity: fx('1'),
          time: 1 + i,
          tradeId: 10_000_000 + i,
          isBuyerMaker: true,
        },
      });
    }
    await engine.executor.settled();
    expect(fills.filter((f) => f.side === 'BUY' && f.price === buy.price)).toHaveLength(1);
    expect(sent).toHaveLength(1); // exactly one re-armed sell

    // The stream reconnects and replays the fill; a REST check reports it again.
    const fillsBefore = fills.length;
    const position = engine.portfolio.position('BTCUSDT')?.quantity;
    const fill = fills.find((f) => f.price === buy.price)!;
    const replay = await engine.gateway.getOrder('BTCUSDT', fill.clientOrderId);
    if (!replay.ok || !replay.value) throw new Error('order not found');
    bus.publish({ type: 'OrderReported', report: replay.value });
    bus.publish({
      type: 'OrderReported',
      report: {
        ...replay.value,
        trade: {
          tradeId: fill.tradeId,
          price: fill.price,
          quantity: fill.quantity,
          commission: fill.commission,
          commissionAsset: fill.commissionAsset,
          isMaker: true,
        },
      },
    });
    await engine.executor.settled();
    expect(fills).toHaveLength(fillsBefore);
    expect(sent).toHaveLength(1);
    expect(engine.portfolio.position('BTCUSDT')?.quantity).toBe(position);
    await engine.stop();
  });

  it('holds re-arms while trading is halted and places them when it resumes', async () => {
    const { engine, fills } = replayDay();
    await engine.start();
    const { preview, ref } = startGrid(engine, 2, '0.1');
    await engine.executor.settled();
    engine.tradingState.set('HALTED', 'max daily loss (test)');

    // The buy at level -1 fills while halted: its resting order was already out, its re-arm is held.
    const buy = preview.levels.find((l) => l.index === -1)!;
    engine.host.bus.publish({
      type: 'TradeTicked',
      tick: { symbol: 'BTCUSDT', price: buy.price - fx('1'), quantity: fx('1'), time: 2, tradeId: 9_000_001, isBuyerMaker: true },
    });
    await engine.executor.settled();
    expect(fills.some((f) => f.price === buy.price)).toBe(true);
    const sellsAtRef = async () => {
      const open = await engine.gateway.openOrders('BTCUSDT');
      return open.ok ? open.value.filter((o) => o.side === 'SELL' && o.price === ref).length : -1;
    };
    expect(await sellsAtRef()).toBe(0);
    expect(engine.grids.summaries()[0]?.status).toBe('running');

    engine.tradingState.set('ACTIVE', 'resumed by the owner');
    await engine.executor.settled();
    expect(await sellsAtRef()).toBe(1);
    await engine.stop();
  });
});
