import type { Message, TradingState } from '../domain/index.js';
import type { Clock } from '../engine/index.js';

/** What the risk checks need to know about the trading state; the chat's /status reads the same. */
export interface TradingStateReader {
  state(): TradingState;
}

/** The trading state as saved across a restart. */
export interface TradingStateSnapshot {
  readonly version: 1;
  readonly state: TradingState;
  readonly reason: string;
  readonly since: number;
}

const STATES: readonly TradingState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

/** The part of the bus the state machine needs, so tests can hand in a recorder. */
export interface Publisher {
  publish(message: Message): void;
}

/**
 * ACTIVE / REDUCING / HALTED, as in NautilusTrader's risk engine: every move between the three is legal (the owner
 * may resume from HALTED, a guard may halt from REDUCING), and only a real change is announced, so repeated halts
 * from several triggers produce one `TradingStateChanged`.
 */
export class TradingStateMachine implements TradingStateReader {
  private current: TradingState;
  private lastReason = '';
  private since: number;

  constructor(
    private readonly bus: Publisher,
    private readonly clock: Clock,
    initial: TradingState = 'ACTIVE',
  ) {
    this.current = initial;
    this.since = clock.now();
  }

  state(): TradingState {
    return this.current;
  }

  /** Why the state is what it is, and since when (ms); the reason is empty for the initial state. */
  describe(): { readonly state: TradingState; readonly reason: string; readonly since: number } {
    return { state: this.current, reason: this.lastReason, since: this.since };
  }

  /** Moves to `to` and publishes `TradingStateChanged`; returns false (and publishes nothing) when already there. */
  set(to: TradingState, reason: string): boolean {
    const from = this.current;
    if (from === to) return false;
    const time = this.clock.now();
    this.current = to;
    this.lastReason = reason;
    this.since = time;
    this.bus.publish({ type: 'TradingStateChanged', from, to, reason, time });
    return true;
  }

  exportState(): TradingStateSnapshot {
    return { version: 1, state: this.current, reason: this.lastReason, since: this.since };
  }

  /**
   * Puts back the state saved before a restart without publishing `TradingStateChanged`. Nothing changed: the move
   * was announced when it happened. Announcing it again would tell the owner a second time, and a move to ACTIVE
   * would make every grid send the re-arms it holds while the restart is still reconciling with the venue, before
   * the fills missed while down are booked.
   */
  importState(s: TradingStateSnapshot): void {
    if (s.version !== 1) throw new Error(`unknown trading state snapshot version ${String(s.version)}`);
    if (!STATES.includes(s.state)) throw new Error(`unknown trading state ${String(s.state)}`);
    this.current = s.state;
    this.lastReason = s.reason;
    this.since = s.since;
  }
}

/**
 * Every reason the kill switch gives for a state change starts with this. The chat tells such a change as routine news:
 * the kill switch's own acknowledgement (and receipt) already say it, urgently, to the person who pulled it.
 */
export const KILL_SWITCH_REASON = 'kill switch';
