import { type Fixed, ZERO } from '../domain/index.js';
import type { BusPort } from '../engine/index.js';
import type { TradingKernel } from './trading-kernel.js';

const MINUTE = 60_000;
/** A week of minutes per series: what /chart's longest window (7 d) shows. */
const KEPT = 7 * 1440;
const KEPT_MS = KEPT * MINUTE;

/** One series of samples, oldest first, bounded (a ring, so the oldest go without copying). */
class Samples {
  private readonly ring: { time: number; value: Fixed }[] = [];
  private head = 0;

  push(time: number, value: Fixed): void {
    if (this.ring.length < KEPT) this.ring.push({ time, value });
    else {
      this.ring[this.head] = { time, value };
      this.head = (this.head + 1) % KEPT;
    }
  }

  /** The newest sample's time. */
  newest(): number {
    return this.ring[(this.head + this.ring.length - 1) % this.ring.length]?.time ?? Number.NEGATIVE_INFINITY;
  }

  since(from: number): { time: number; value: Fixed }[] {
    return [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)].filter((p) => p.time >= from);
  }
}

/**
 * The account's PnL and each grid's total PnL, sampled once a minute of market time (on the first trade of each
 * minute), for /chart's second panel. In memory only: after a restart the panel starts again from the restart.
 * Bounded: a week of samples per series, and a stopped grid's series is dropped once its last sample is older than a
 * week (nothing /chart shows), so a bot that starts and stops grids for years holds the series of a week's grids.
 */
export class PnlHistory {
  private readonly account = new Samples();
  private readonly grids = new Map<string, Samples>();
  private minute = -1;

  constructor(private readonly kernel: Pick<TradingKernel, 'portfolio' | 'futuresBook'>) {}

  attach(bus: BusPort): void {
    bus.on('TradeTicked', (m) => {
      const minute = Math.floor(m.tick.time / MINUTE);
      if (minute === this.minute) return;
      this.minute = minute;
      this.sample(m.tick.time);
    });
  }

  /** The account's PnL (spot realized + unrealized − fees, and USD-M's with funding) since `from`. */
  accountSince(from: number): { time: number; value: Fixed }[] {
    return this.account.since(from);
  }

  gridSince(gridId: string, from: number): { time: number; value: Fixed }[] {
    return this.grids.get(gridId)?.since(from) ?? [];
  }

  private sample(time: number): void {
    const spot = this.kernel.portfolio.pnl();
    const f = this.kernel.futuresBook.totals();
    this.account.push(time, spot.realized + spot.unrealized - spot.fees + f.realizedPnl - f.fees + f.funding + f.unrealizedPnl);
    for (const g of this.kernel.portfolio.gridPnls()) {
      if (g.stopped === true) continue;
      let s = this.grids.get(g.gridId);
      if (s === undefined) this.grids.set(g.gridId, (s = new Samples()));
      s.push(time, g.totalPnl ?? g.gridProfit ?? ZERO);
    }
    for (const [gridId, s] of this.grids) if (s.newest() < time - KEPT_MS) this.grids.delete(gridId);
  }
}
