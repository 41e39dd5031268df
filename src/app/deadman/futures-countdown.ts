import type { FuturesGateway } from '../../exchange/index.js';

export interface FuturesCountdownParts {
  readonly futures: Pick<FuturesGateway, 'countdownCancelAll'>;
  /** The perpetuals (`BTCUSDT.P`) on which the bot has open orders now. */
  readonly openSymbols: () => readonly string[];
  /** FUTURES_COUNTDOWN_SECONDS in ms; above the heartbeat's period (the setting is at least the lease). */
  readonly countdownMs: number;
  readonly log: { warn(obj: object, msg: string): void };
}

/**
 * The dead-man's switch on USD-M (issue 12): Binance's countdown cancel-all, armed on each perpetual with open bot
 * orders and pushed back with every heartbeat of the prefix lease. A bot that stops beating (crashed, hung, cut off)
 * has its futures orders cancelled by Binance itself `countdownMs` later, beside the watchdog process that does it for
 * spot. A symbol with no open bot order any more is disarmed (0), and so is every symbol at a clean stop: a bot stopped
 * on purpose keeps its orders, as the watchdog spares a heartbeat marked stopped. Binance's countdown covers every order
 * of the symbol, the owner's own too (it cannot be narrowed to `tg_` orders).
 */
export class FuturesCountdown {
  private readonly armed = new Set<string>();
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly parts: FuturesCountdownParts) {}

  /**
   * One heartbeat: refreshes the countdowns; resolves when Binance has answered. A beat that comes while the last
   * refresh is still out waits for it instead (one set of requests at a time).
   */
  beat(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return (this.running ??= this.refresh().finally(() => (this.running = undefined)));
  }

  /** Disarms every countdown this bot armed; beats are ignored from now on. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
    await Promise.all([...this.armed].map((symbol) => this.set(symbol, 0)));
    this.armed.clear();
  }

  private async refresh(): Promise<void> {
    const open = new Set(this.parts.openSymbols());
    const calls = [...open].map(async (symbol) => {
      if (await this.set(symbol, this.parts.countdownMs)) this.armed.add(symbol);
    });
    for (const symbol of this.armed) {
      if (!open.has(symbol)) calls.push(this.set(symbol, 0).then((done) => void (done && this.armed.delete(symbol))));
    }
    await Promise.all(calls);
  }

  private async set(symbol: string, ms: number): Promise<boolean> {
    const r = await this.parts.futures.countdownCancelAll(symbol, ms);
    const what = ms === 0 ? 'disarmed' : 'refreshed';
    if (!r.ok) this.parts.log.warn({ symbol, code: r.error.code }, `futures countdown cancel not ${what}: ${r.error.message}`);
    return r.ok;
  }
}
