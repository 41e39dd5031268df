import type { FuturesEndpoints } from './futures-urls.js';

/**
 * binance-api-node keeps its stream URLs in one module-global object: every `Binance({wsFutures…})` call rewrites them
 * for every client in the process. So one set of futures stream URLs may be live per process: a gateway claims them
 * before building its client and releases them when closed; a second gateway on other URLs while the first is open
 * is a configuration error, not a silent re-route of the first one's stream.
 */
let held: { readonly key: string; count: number } | undefined;

function keyOf(e: FuturesEndpoints): string {
  return [e.wsFuturesPublic, e.wsFuturesMarket, e.wsFuturesPrivate].join(' ');
}

/** Claims the URLs (again, for the same ones); returns the release, or throws when other URLs are held. */
export function claimStreamUrls(endpoints: FuturesEndpoints): () => void {
  const key = keyOf(endpoints);
  if (held !== undefined && held.key !== key)
    throw new Error(`binance-api-node's futures stream URLs are process-wide and already point at ${held.key}; close that gateway first`);
  const claim = held ?? { key, count: 0 };
  claim.count++;
  held = claim;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    claim.count--;
    if (claim.count === 0 && held === claim) held = undefined;
  };
}
