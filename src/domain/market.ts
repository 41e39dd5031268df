import type { Fixed } from './fixed.js';

/** One trade on the tape: what a Binance `<symbol>@trade` message carries, with exact numbers and ms times. */
export interface TradeTick {
  readonly symbol: string;
  readonly price: Fixed;
  readonly quantity: Fixed;
  /** Trade time, ms since the epoch. */
  readonly time: number;
  readonly tradeId: number;
  readonly isBuyerMaker: boolean;
}
