import type { Fixed } from '../domain/index.js';
import type { ChartLadder } from './chart-spec.js';

/** Ladder levels of one side beyond one edge of the view: how many, and the furthest. */
export interface OffView {
  readonly count: number;
  readonly furthest: Fixed;
}

/** The price range drawn and which ladder levels fall inside it; decided on exact prices. */
export interface PriceView {
  readonly low: Fixed;
  readonly high: Fixed;
  readonly buys: readonly Fixed[];
  readonly sells: readonly Fixed[];
  readonly above: { readonly buys?: OffView; readonly sells?: OffView };
  readonly below: { readonly buys?: OffView; readonly sells?: OffView };
}

/**
 * The view holds every traded price (`dataLow`…`dataHigh`: candles, fills, last price) and, on each side, the nearest
 * ladder level beyond it when that level is no further than half the data's span: the next level a move would fill
 * is usually worth seeing, but drawing all of them squashes the candles into a thin band. The rest are counted for
 * a caption. A 4 % margin keeps the outermost line off the panel's border.
 */
export function priceView(dataLow: Fixed, dataHigh: Fixed, ladder: ChartLadder | undefined): PriceView {
  const levels = ladder ? [...ladder.buys, ...ladder.sells] : [];
  const span = dataHigh > dataLow ? dataHigh - dataLow : dataHigh / 1000n + 1n;
  let low = dataLow;
  let high = dataHigh;
  const nextAbove = min(levels.filter((p) => p > dataHigh));
  if (nextAbove !== undefined && nextAbove - dataHigh <= span / 2n) high = nextAbove;
  const nextBelow = max(levels.filter((p) => p < dataLow));
  if (nextBelow !== undefined && dataLow - nextBelow <= span / 2n) low = nextBelow;
  const margin = (high - low) / 25n;
  low -= margin;
  high += margin;
  const inView = (p: Fixed) => p >= low && p <= high;
  const buys = ladder?.buys ?? [];
  const sells = ladder?.sells ?? [];
  return {
    low,
    high,
    buys: buys.filter(inView),
    sells: sells.filter(inView),
    above: {
      buys: offView(
        buys.filter((p) => p > high),
        max,
      ),
      sells: offView(
        sells.filter((p) => p > high),
        max,
      ),
    },
    below: {
      buys: offView(
        buys.filter((p) => p < low),
        min,
      ),
      sells: offView(
        sells.filter((p) => p < low),
        min,
      ),
    },
  };
}

function offView(prices: Fixed[], furthest: (ps: Fixed[]) => Fixed | undefined): OffView | undefined {
  const at = furthest(prices);
  return at === undefined ? undefined : { count: prices.length, furthest: at };
}

function min(ps: Fixed[]): Fixed | undefined {
  return ps.reduce<Fixed | undefined>((m, p) => (m === undefined || p < m ? p : m), undefined);
}

function max(ps: Fixed[]): Fixed | undefined {
  return ps.reduce<Fixed | undefined>((m, p) => (m === undefined || p > m ? p : m), undefined);
}
