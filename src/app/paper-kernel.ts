import type { Fixed, Instrument } from '../domain/index.js';
import { type Clock, ManualClock, type SequentialIds } from '../engine/index.js';
import { PaperGateway } from '../exchange/paper/index.js';
import { FeedPump, type TickSource } from '../market/index.js';
import type { RiskLimits } from '../risk/index.js';
import { type KernelLog, type TradingKernel, buildTradingKernel } from './trading-kernel.js';

export interface PaperKernelOptions {
  readonly instruments: readonly Instrument[];
  readonly balances: Readonly<Record<string, Fixed>>;
  readonly fees: { readonly maker: Fixed; readonly taker: Fixed };
  readonly limits: RiskLimits;
  readonly source: TickSource;
  readonly clock: Clock;
  readonly ids: SequentialIds;
  readonly log: KernelLog;
}

/** The trading kernel on the in-process paper venue, with the tape pumped straight onto its bus. */
export interface PaperKernel extends TradingKernel<PaperGateway> {
  readonly pump: FeedPump;
}

/**
 * The deterministic build for tests, replays and benchmarks: the in-process paper venue answers synchronously and
 * hears each trade first, so a resting order fills on the trade that crosses it before strategies react.
 */
export function buildPaperKernel(o: PaperKernelOptions): PaperKernel {
  const gateway = new PaperGateway({
    instruments: o.instruments,
    startingBalances: o.balances,
    fees: { maker: o.fees.maker, taker: o.fees.taker },
    clock: o.clock,
  });
  const kernel = buildTradingKernel({
    gateway,
    instruments: o.instruments,
    fees: o.fees,
    limits: o.limits,
    clock: o.clock,
    ids: o.ids,
    log: o.log,
  });
  const bus = kernel.host.bus;
  // The venue's reports for a tick are queued behind it (run to completion), so every component sees the tick first.
  bus.on('TradeTicked', (m) => gateway.onTrade(m.tick));
  // A manual clock follows the tape (tests, replays, benchmarks); the app's wall clock runs on its own.
  const pump = new FeedPump(o.source, bus, o.clock instanceof ManualClock ? { clock: o.clock } : {});
  return {
    ...kernel,
    pump,
    async stop() {
      pump.stop();
      await kernel.stop();
    },
  };
}
