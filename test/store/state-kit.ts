/** A paper engine with a BotStateStore on a Redis prefix, and a traded morning to store: the store tests' fixtures. */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { buildPaperKernel } from '../../src/app/paper-kernel.js';
import { type Fixed, type Instrument, ZERO, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock, SequentialIds } from '../../src/engine/index.js';
import { loadTape } from '../../src/sandbox/index.js';
import { BotStateStore } from '../../src/store/index.js';
import { buildGridPreview } from '../../src/strategy/index.js';

const DATA = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data');
const MAKER = fx('0.001');
const btc = catalogInstrument('BTCUSDT') as Instrument;

/** A paper engine on a real BTCUSDT day with a state store on `prefix`; nothing is pumped yet. */
export function engineWithStore(redis: Redis, prefix: string) {
  const tape = loadTape(`${DATA}/BTCUSDT-1m-2020-01-01.csv`);
  if (!tape.ok) throw new Error(tape.error.message);
  const ids = new SequentialIds();
  const engine = buildPaperKernel({
    instruments: [btc],
    balances: { USDT: fx('10000') },
    fees: { maker: MAKER, taker: fx('0.001') },
    limits: { maxOrderNotional: fx('5000'), maxOpenOrdersPerSymbol: 100, priceBandPct: fx('10') },
    source: tape.value,
    clock: new ManualClock(0),
    ids,
    log: { warn: () => undefined, error: () => undefined },
  });
  const parts = {
    tracker: engine.tracker,
    grids: engine.grids,
    portfolio: engine.portfolio,
    ids,
    tradingState: engine.tradingState,
    risk: engine.risk,
    futuresBook: engine.futuresBook,
  };
  const store = new BotStateStore({ redis, prefix, parts, log: { warn: () => undefined } });
  return { engine, ids, store, parts };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

/**
 * Runs a morning of trading into Redis under `prefix`: a grid that filled, re-armed and closed round trips, then held
 * re-arms under a halt, and a second grid stopped by its owner; so the stored state has every optional part filled in.
 */
export async function tradeAMorning(redis: Redis, prefix: string): Promise<ReturnType<typeof engineWithStore>> {
  const rig = engineWithStore(redis, prefix);
  const { engine, store } = rig;
  engine.host.add(store);
  await engine.start();
  engine.pump.pump(1);
  const start = (levels: number, spacingPct: string) => {
    const preview = buildGridPreview({
      params: {
        symbol: 'BTCUSDT',
        levels,
        spacingPct: fx(spacingPct),
        amountQuote: fx('100'),
        spacing: 'arithmetic',
        stopLoss: fx('1000'),
        takeProfit: fx('1000000'),
      },
      instrument: btc,
      referencePrice: engine.market.lastPrice('BTCUSDT') as Fixed,
      baseFree: ZERO,
      quoteFree: fx('10000'),
      makerFee: MAKER,
      takerFee: fx('0.001'),
    });
    if (!preview.ok) throw new Error(preview.error.message);
    const started = engine.grids.startGrid(preview.value);
    if (!started.ok) throw new Error(started.error.message);
    return started.value.gridId;
  };
  start(10, '0.1');
  const pump = async (ticks: number) => {
    for (let i = 0; i < ticks; i += 20) {
      engine.pump.pump(20);
      await settle();
    }
    await engine.executor.settled();
  };
  await pump(400);
  const stopped = start(3, '0.5');
  await pump(20);
  engine.grids.stopGrid(stopped, 'user');
  await pump(20);
  engine.tradingState.set('HALTED', 'halted by the test');
  await pump(400);
  // Everything, marks included (the portfolio is saved on fills, not on every tick), so a restore can be compared whole.
  store.markAll();
  await store.commit();
  return rig;
}

/** Copies the state keys of one prefix to another, as they are (text for text). */
export async function copyState(redis: Redis, from: string, to: string): Promise<void> {
  for (const name of ['version', 'portfolio', 'ids', 'trading']) {
    const text = await redis.get(`${from}:state:${name}`);
    if (text !== null) await redis.set(`${to}:state:${name}`, text);
  }
  for (const name of ['orders', 'grids']) {
    const all = await redis.hgetall(`${from}:state:${name}`);
    if (Object.keys(all).length > 0) await redis.hset(`${to}:state:${name}`, all);
  }
}
