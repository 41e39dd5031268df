import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPaperKernel } from '../../src/app/paper-kernel.js';
import { PnlHistory } from '../../src/app/pnl-history.js';
import { type Fixed, type Instrument, ZERO, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock, MessageBus, SequentialIds } from '../../src/engine/index.js';
import { loadTape } from '../../src/sandbox/index.js';
import { buildGridPreview } from '../../src/strategy/index.js';
import { aTradeTicked } from '../kit/builders.js';

const DAY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/BTCUSDT-1m-2020-01-01.csv');

describe("/chart's PnL panel: the grid's and the account's PnL sampled once a minute of market time", () => {
  it("keeps one sample a minute, each the grid's total PnL and the account's PnL as the books said at that minute", async () => {
    const tape = loadTape(DAY);
    if (!tape.ok) throw new Error(tape.error.message);
    const btc = catalogInstrument('BTCUSDT') as Instrument;
    const clock = new ManualClock(0);
    const kernel = buildPaperKernel({
      instruments: [btc],
      balances: { USDT: fx('10000') },
      fees: { maker: fx('0.001'), taker: fx('0.001') },
      limits: { priceBandPct: fx('10') },
      source: tape.value,
      clock,
      ids: new SequentialIds(),
      log: { warn: () => undefined, error: () => undefined },
    });
    const history = new PnlHistory(kernel);
    history.attach(kernel.host.bus);
    // What the books say on the first trade of each minute, as the bot would read them then.
    const said: { time: number; grid: Fixed | undefined; account: Fixed }[] = [];
    let minute = -1;
    kernel.host.bus.on('TradeTicked', (m) => {
      if (Math.floor(m.tick.time / 60_000) === minute) return;
      minute = Math.floor(m.tick.time / 60_000);
      const p = kernel.portfolio.pnl();
      said.push({ time: m.tick.time, grid: kernel.portfolio.gridPnl('G1')?.totalPnl, account: p.realized + p.unrealized - p.fees });
    });
    await kernel.start();
    kernel.pump.pump(1);
    const preview = buildGridPreview({
      params: { symbol: 'BTCUSDT', levels: 5, spacingPct: fx('0.1'), amountQuote: fx('100'), spacing: 'arithmetic' },
      instrument: btc,
      referencePrice: kernel.market.lastPrice('BTCUSDT') as Fixed,
      baseFree: ZERO,
      quoteFree: fx('10000'),
      makerFee: fx('0.001'),
      takerFee: fx('0.001'),
    });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(kernel.grids.startGrid(preview.value).ok).toBe(true);
    for (let i = 0; i < 600 && !kernel.pump.ended; i++) {
      kernel.pump.pump(4);
      await kernel.executor.settled();
    }

    const account = history.accountSince(0);
    expect(account.length).toBe(said.length);
    expect(account.map((p) => [p.time, p.value])).toEqual(said.map((s) => [s.time, s.account]));
    const grid = history.gridSince('G1', 0);
    const withGrid = said.filter((s) => s.grid !== undefined);
    expect(grid.length).toBeGreaterThan(100);
    expect(grid.map((p) => [p.time, p.value])).toEqual(withGrid.map((s) => [s.time, s.grid]));
    // The grid traded: its PnL moved (a flat line would mean the samples never read the books).
    expect(new Set(grid.map((p) => p.value)).size).toBeGreaterThan(5);
    // A window asks for what falls inside it.
    const from = grid[50]!.time;
    expect(history.gridSince('G1', from)[0]?.time).toBe(from);
    expect(history.gridSince('G9', 0)).toEqual([]);
    await kernel.stop();
  });
});

describe("/chart's PnL panel is bounded however long the bot runs", () => {
  const MINUTE = 60_000;
  const WEEK = 7 * 1440 * MINUTE;

  /** A history over books the test sets: the grids listed, each running or stopped, every PnL zero. */
  function rig() {
    const grids = new Map<string, boolean>();
    const account = { realized: ZERO };
    const kernel = {
      portfolio: {
        pnl: () => ({ realized: account.realized, unrealized: ZERO, fees: ZERO }),
        gridPnls: () => [...grids].map(([gridId, stopped]) => ({ gridId, symbol: 'BTCUSDT', roundTrips: 0, gridProfit: ZERO, stopped })),
      },
      futuresBook: { totals: () => ({ realizedPnl: ZERO, fees: ZERO, funding: ZERO, unrealizedPnl: ZERO }) },
    } as unknown as ConstructorParameters<typeof PnlHistory>[0];
    const bus = new MessageBus();
    const history = new PnlHistory(kernel);
    history.attach(bus);
    const minute = (time: number) => bus.publish(aTradeTicked({ time }));
    return { grids, account, history, minute };
  }

  it('keeps a week of minutes per series, the oldest going first', () => {
    const { grids, history, minute } = rig();
    grids.set('G1', false);
    const minutes = 7 * 1440 + 500;
    for (let i = 0; i < minutes; i++) minute(i * MINUTE);
    const kept = history.gridSince('G1', 0);
    expect(kept).toHaveLength(7 * 1440);
    expect(kept[0]?.time).toBe(500 * MINUTE);
    expect(history.accountSince(0)).toHaveLength(7 * 1440);
  });

  it("drops a stopped grid's series once its last sample is older than a week, and keeps a running grid's", () => {
    const { grids, history, minute } = rig();
    grids.set('G1', false).set('G2', false);
    for (let i = 0; i < 60; i++) minute(i * MINUTE);
    grids.set('G1', true);
    const stoppedAt = 59 * MINUTE;
    // A week after its last sample the stopped grid's series is still what /chart's 7 d window shows.
    minute(stoppedAt + WEEK);
    expect(history.gridSince('G1', 0)).toHaveLength(60);
    minute(stoppedAt + WEEK + MINUTE);
    expect(history.gridSince('G1', 0)).toEqual([]);
    expect(history.gridSince('G2', 0)).toHaveLength(62);
  });

  it('keeps every sample exact, and draws a PnL beyond ±92 billion USDT at that bound rather than wrapped round', () => {
    const { account, history, minute } = rig();
    const values = [fx('-12345.67891234'), fx('0.00000001'), fx('92233720368.54775807'), fx('1000000000000'), fx('-1000000000000')];
    values.forEach((v, i) => {
      account.realized = v;
      minute(i * MINUTE);
    });
    expect(history.accountSince(0).map((p) => p.value)).toEqual([
      ...values.slice(0, 3),
      fx('92233720368.54775807'),
      fx('-92233720368.54775808'),
    ]);
  });
});
