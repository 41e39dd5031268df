import type { Redis } from 'ioredis';
import { REDIS_KEYS, type TradingState } from '../../domain/index.js';
import type { Component, ComponentContext } from '../../engine/index.js';

/** The Redis key every process reads the trading state from; the rate budget's script refuses placements on HALTED. */
function tradingStateKey(prefix: string): string {
  return REDIS_KEYS.tradingState.key(prefix);
}

/**
 * Mirrors the bot's trading state into Redis, where workers in any process see it before each placement. The kill
 * switch awaits `write` so that the halt is in force everywhere before it empties the queue.
 */
export class SharedTradingState implements Component {
  readonly name = 'shared-trading-state';
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  attach(ctx: ComponentContext): void {
    ctx.bus.on('TradingStateChanged', (m) => void this.write(m.to));
  }

  /** Resolves once this state, and every one written before it, is in Redis. */
  write(state: TradingState): Promise<void> {
    const done = this.redis.set(tradingStateKey(this.prefix), state);
    this.last = this.last.then(() => done).catch(() => undefined);
    return done.then(() => undefined);
  }

  async read(): Promise<TradingState | undefined> {
    const value = await this.redis.get(tradingStateKey(this.prefix));
    return value === 'ACTIVE' || value === 'REDUCING' || value === 'HALTED' ? value : undefined;
  }

  async stop(): Promise<void> {
    await this.last;
  }
}
