/** The three endpoints a binance-api-node client needs; the adapter never lets the library pick its own defaults. */
export interface BinanceEndpoints {
  /** REST root, without `/api` (the library appends `/api/v3/...`). */
  readonly httpBase: string;
  /** Market streams root, with the `/ws` suffix the library expects. */
  readonly wsBase: string;
  /** WebSocket API, where the user data stream is subscribed. */
  readonly wsApi: string;
}

/** Binance Spot production (PROTOCOLS A.1, B.1, B.2). */
export const BINANCE_LIVE: BinanceEndpoints = Object.freeze({
  httpBase: 'https://api.binance.com',
  wsBase: 'wss://stream.binance.com:9443/ws',
  wsApi: 'wss://ws-api.binance.com:443/ws-api/v3',
});

/**
 * Binance Spot Testnet (PROTOCOLS A.1, B.2, C). The REST root is the host: the library adds `/api/v3`, so the documented
 * `https://testnet.binance.vision/api` becomes this. Not Demo Mode, which the library's `testnet: true` would select.
 */
export const BINANCE_TESTNET: BinanceEndpoints = Object.freeze({
  httpBase: 'https://testnet.binance.vision',
  wsBase: 'wss://stream.testnet.binance.vision/ws',
  wsApi: 'wss://ws-api.testnet.binance.vision/ws-api/v3',
});
