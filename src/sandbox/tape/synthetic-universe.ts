import { type Fixed, type Instrument, SPOT_CATALOG, fx, usdtSpotFilters } from '../../domain/index.js';
import { mulberry32, seedFor } from './seeded-random.js';
import type { SyntheticSymbol } from './synthetic-tape.js';

/** The most symbols a universe holds: Binance lists about 1,500 spot pairs, and 4 letters name far more. */
export const MAX_UNIVERSE = 5_000;

/** The price range of the generated pairs, as Binance's USDT pairs span it (a sub-cent meme coin to BTC). */
const LOWEST_PRICE_LOG10 = -4;
const HIGHEST_PRICE_LOG10 = Math.log10(50_000);

/**
 * `count` USDT pairs for a sandbox that serves many markets (issue 14's 1,000 symbols): the catalog's real pairs first,
 * then generated ones named `X<letters>USDT` with start prices log-uniform from 0.0001 to 50,000 and filters the way
 * Binance sizes them: the tick about a ten-thousandth of the price (never above 0.01, never under 1e-8), the step
 * worth 0.01 to 1 USDT (never above 1), each one decade finer or coarser now and then, as listed pairs vary. Seeded:
 * the same seed and count give the same universe, and a larger count only adds pairs.
 */
export function syntheticUniverse(count: number, seed = 1): SyntheticSymbol[] {
  if (!(Number.isInteger(count) && count >= 1 && count <= MAX_UNIVERSE)) {
    throw new RangeError(`a synthetic universe holds 1 to ${MAX_UNIVERSE} symbols: ${count}`);
  }
  const out: SyntheticSymbol[] = SPOT_CATALOG.slice(0, count).map((e) => ({ instrument: e.instrument, startPrice: fx(e.demoPrice) }));
  for (let i = 0; out.length < count; i++) {
    const symbol = `X${letters(i)}USDT`;
    out.push(generated(symbol, mulberry32(seedFor(seed, symbol))));
  }
  return out;
}

/** 0 → AAA, 1 → AAB, … (three letters, then four). */
function letters(i: number): string {
  let s = '';
  let n = i;
  for (let k = 0; k < 3 || n > 0; k++) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
}

/** A decimal power of ten as exact Fixed text: 2 → "100", -3 → "0.001". */
function decade(exponent: number): string {
  return exponent >= 0 ? `1${'0'.repeat(exponent)}` : `0.${'0'.repeat(-exponent - 1)}1`;
}

function generated(symbol: string, random: () => number): SyntheticSymbol {
  const log10 = LOWEST_PRICE_LOG10 + random() * (HIGHEST_PRICE_LOG10 - LOWEST_PRICE_LOG10);
  const magnitude = Math.floor(log10);
  // One pair in five has its tick or step a decade off the rule, as real listings do.
  const jitter = (): number => {
    const r = random();
    return r < 0.1 ? -1 : r < 0.2 ? 1 : 0;
  };
  const tickExp = Math.max(-8, Math.min(-2, magnitude - 4 + jitter()));
  const stepExp = Math.max(-8, Math.min(0, -Math.ceil(log10) + jitter()));
  const tick = fx(decade(tickExp));
  // Four significant digits of the price, whole ticks, at least 1,000 ticks so a 0.5 % spacing is several ticks wide.
  const ticks = Math.max(1_000, Math.round(10 ** (log10 - tickExp)));
  const startPrice: Fixed = BigInt(ticks) * tick;
  // Worth about 9 million USDT, and at most 1e9 (a maxQty Binance writes in 18 digits, as its int64 fields allow).
  const maxQty = fx(decade(Math.min(9, Math.max(0, Math.round(Math.log10(9_000_000) - log10)))));
  const base = symbol.slice(0, -'USDT'.length);
  const instrument: Instrument = {
    symbol,
    baseAsset: base,
    quoteAsset: 'USDT',
    filters: usdtSpotFilters({
      tick,
      step: fx(decade(stepExp)),
      maxQty,
      marketMaxQty: maxQty,
      maxPrice: fx(decade(Math.max(magnitude + 4, 2))),
    }),
  };
  return { instrument, startPrice };
}
