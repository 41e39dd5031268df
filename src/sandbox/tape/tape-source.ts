import type { Failure, TradeTick } from '../../domain/index.js';

/**
 * A tape of trades pulled one at a time. Structurally the same as market/'s `TickSource` port (sandbox/ may not
 * import market/), so every tape here can be handed to the feed pump as it is.
 */
export interface TapeSource {
  readonly symbols: readonly string[];
  /** The next trade in time order, or undefined when the tape has ended. */
  next(): TradeTick | undefined;
}

export type TapeFailureCode =
  'TAPE_EMPTY' | 'TAPE_UNKNOWN_LAYOUT' | 'TAPE_BAD_LINE' | 'TAPE_NO_SYMBOL' | 'TAPE_NO_TICK_SIZE' | 'TAPE_UNREADABLE';

export interface TapeFailure extends Failure {
  readonly code: TapeFailureCode;
}

export function tapeFailure(code: TapeFailureCode, message: string): { readonly ok: false; readonly error: TapeFailure } {
  return { ok: false, error: { code, message } };
}

/** A finished tape held in memory: what a CSV replay produces. Can be peeked and rewound. */
export class ArrayTape implements TapeSource {
  private at = 0;

  constructor(
    readonly symbols: readonly string[],
    readonly ticks: readonly TradeTick[],
  ) {}

  next(): TradeTick | undefined {
    return this.at < this.ticks.length ? this.ticks[this.at++] : undefined;
  }

  peek(): TradeTick | undefined {
    return this.ticks[this.at];
  }

  get remaining(): number {
    return this.ticks.length - this.at;
  }

  rewind(): void {
    this.at = 0;
  }
}
