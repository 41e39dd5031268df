import type { Candle, Fixed, TradeTick } from '../../domain/index.js';
import { expandKline } from '../../sandbox/index.js';

/**
 * The candles as the sandbox replays a kline file (its documented intra-candle path, expandKline): open, then the
 * extreme nearer the close's opposite, the other extreme, the close, each a trade carrying a quarter of the volume.
 * A limit fills only when one of these trades goes through its price, as on the sandbox.
 */
export class CandleTicks {
  private readonly state: { price: Fixed | undefined; isBuyerMaker: boolean } = { price: undefined, isBuyerMaker: false };
  private readonly buffer: TradeTick[] = [];

  constructor(
    private readonly symbol: string,
    private readonly tickSize: Fixed,
  ) {}

  /** The trades of one candle, in time order (none for a candle with no volume). Reuses one array: read it at once. */
  of(candle: Candle): readonly TradeTick[] {
    this.buffer.length = 0;
    expandKline(candle, this.symbol, { pathSteps: 0, tickSize: this.tickSize }, this.state, this.buffer);
    return this.buffer;
  }
}
