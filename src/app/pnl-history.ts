import { type Fixed, ZERO } from '../domain/index.js';
import type { BusPort } from '../engine/index.js';
import type { TradingKernel } from './trading-kernel.js';

const MINUTE = 60_000;
/** A week of minutes per series: what /chart's longest window (7 d) shows. */
const KEPT = 7 * 1440;
const KEPT_MS = KEPT * MINUTE;

/** What a sample's value can hold (a signed 64-bit integer of 10⁻⁸ USDT: ±92 billion USDT). */
const MAX_VALUE = 2n ** 63n - 1n;
const MIN_VALUE = -(2n ** 63n);

/**
 * One series of samples, oldest first, bounded (a ring, so the oldest go without copying). Kept in two typed arrays,
 * 16 bytes a sample, not an object, a boxed time and a bigint each (about 70): a week of 10 grids' series is 1.8 MB,
 * not 8. They grow by doubling up to the bound, so a grid stopped after an hour holds an hour's worth.
 */
class Samples {
  private times = new Float64Array(64);
  private values = new BigInt64Array(64);
  private size = 0;
  /** Where the oldest sample is once the ring is full (0 until then). */
  private head = 0;

  push(time: number, value: Fixed): void {
    // A PnL beyond what the array holds is drawn at its bound rather than wrapped round to the other sign.
    const v = value > MAX_VALUE ? MAX_VALUE : value < MIN_VALUE ? MIN_VALUE : value;
    if (this.size < KEPT) {
      if (this.size === this.times.length) this.grow();
      this.times[this.size] = time;
      this.values[this.size] = v;
      this.size++;
    } else {
      this.times[this.head] = time;
      this.values[this.head] = v;
      this.head = (this.head + 1) % KEPT;
    }
  }

  /** The newest sample's time. */
  newest(): number {
    return this.size === 0 ? Number.NEGATIVE_INFINITY : (this.times[(this.head + this.size - 1) % this.size] as number);
  }

  since(from: number): { time: number; value: Fixed }[] {
    const out: { time: number; value: Fixed }[] = [];
    for (let i = 0; i < this.size; i++) {
      const at = (this.head + i) % this.size;
      const time = this.times[at] as number;
      if (time >= from) out.push({ time, value: this.values[at] as bigint });
    }
    return out;
  }

  private grow(): void {
    const n = Math.min(KEPT, this.times.length * 2);
    const times = new Float64Array(n);
    const values = new BigInt64Array(n);
    times.set(this.times);
    values.set(this.values);
    this.times = times;
    this.values = values;
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
