import { type Fixed, ZERO } from '../domain/index.js';
import type { Clock, Component, ComponentContext } from '../engine/index.js';
import { dailyLossReason } from './risk-checks.js';
import type { RiskView } from './risk-limits.js';
import type { TradingStateMachine } from './trading-state.js';

/** At most one look at the PnL per this much clock time on the tick path. */
const DAILY_LOSS_TICK_THROTTLE_MS = 1000;

export interface DailyLossGuardDeps {
  readonly view: Pick<RiskView, 'dailyPnl'>;
  readonly maxDailyLoss?: Fixed;
  readonly state: Pick<TradingStateMachine, 'state' | 'set'>;
}

/**
 * Halts trading when today's PnL reaches −maxDailyLoss: checked on every `PositionChanged` (a fill moved realized
 * PnL) and, at most once per second of clock time, on `TradeTicked` (prices moved unrealized PnL). With the limit off
 * it subscribes to nothing, so it costs nothing per tick.
 */
export class DailyLossGuard implements Component {
  readonly name = 'daily-loss-guard';
  private readonly limit: Fixed;
  private clock: Clock = { now: () => 0 };
  private lastTickCheck = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: DailyLossGuardDeps) {
    this.limit = deps.maxDailyLoss ?? ZERO;
  }

  attach(ctx: ComponentContext): void {
    if (this.limit <= ZERO) return;
    this.clock = ctx.clock;
    ctx.bus.on('PositionChanged', () => this.check());
    ctx.bus.on('TradeTicked', () => this.onTick());
  }

  /** Looks at today's PnL now; returns true when trading is (or just became) halted for the daily loss. */
  check(): boolean {
    if (this.limit <= ZERO) return false;
    const pnl = this.deps.view.dailyPnl();
    if (pnl > -this.limit) return false;
    this.deps.state.set('HALTED', dailyLossReason(pnl, this.limit));
    return true;
  }

  private onTick(): void {
    const now = this.clock.now();
    if (now - this.lastTickCheck < DAILY_LOSS_TICK_THROTTLE_MS) return;
    this.lastTickCheck = now;
    // Already halted (by this guard or the owner): nothing to add, and the PnL sum is not free.
    if (this.deps.state.state() === 'HALTED') return;
    this.check();
  }
}
