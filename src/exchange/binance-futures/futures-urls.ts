/**
 * Where a USD-M client talks. The adapter always names all four, so binance-api-node never falls back on its defaults,
 * and never sets `testnet: true`, which would send every /fapi request to demo-fapi whatever `httpFutures` says.
 */
export interface FuturesEndpoints {
  /** REST root without `/fapi` (the library appends `/fapi/v1/...`). */
  readonly httpFutures: string;
  /** Stream roots, each with the `/ws` suffix the library appends `/<stream>` or `/<listenKey>` to. */
  readonly wsFuturesPublic: string;
  readonly wsFuturesMarket: string;
  readonly wsFuturesPrivate: string;
}

/** Binance USD-M production, after the 2026-03 split of the stream roots (facts B.2). */
export const BINANCE_FUTURES_LIVE: FuturesEndpoints = Object.freeze({
  httpFutures: 'https://fapi.binance.com',
  wsFuturesPublic: 'wss://fstream.binance.com/public/ws',
  wsFuturesMarket: 'wss://fstream.binance.com/market/ws',
  wsFuturesPrivate: 'wss://fstream.binance.com/private/ws',
});

/**
 * Binance's futures test environment: REST at demo-fapi (the docs' testnet URL), streams at fstream.binancefuture.com
 * (facts A.0, B.2). Whether that host has the split roots is UNVERIFIED; ccxt uses them there, and so do we.
 */
export const BINANCE_FUTURES_TESTNET: FuturesEndpoints = Object.freeze({
  httpFutures: 'https://demo-fapi.binance.com',
  wsFuturesPublic: 'wss://fstream.binancefuture.com/public/ws',
  wsFuturesMarket: 'wss://fstream.binancefuture.com/market/ws',
  wsFuturesPrivate: 'wss://fstream.binancefuture.com/private/ws',
});
