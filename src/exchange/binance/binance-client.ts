// Must load before binance-api-node, which reads node-fetch once as it loads.
import './retry-after-capture.js';
import './socket-close-guard.js';
import BinanceImport from 'binance-api-node';

/** The parameters the adapter sends to `POST /api/v3/order`; decimals are strings, never JS numbers. */
export interface BinanceOrderParams {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly quantity: string;
  readonly price?: string;
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK';
  readonly newClientOrderId: string;
  readonly newOrderRespType: 'RESULT';
}

/** An order named by our client order id. */
interface BinanceOrderRef {
  readonly symbol: string;
  readonly origClientOrderId: string;
}

/**
 * The slice of binance-api-node the adapter uses. Responses are `unknown` on purpose: json-bigint may hand back
 * BigNumber objects and the library's own types promise numbers, so every field is checked by the mapping functions.
 */
export interface BinanceClient {
  time(): Promise<unknown>;
  exchangeInfo(): Promise<unknown>;
  order(params: BinanceOrderParams): Promise<unknown>;
  cancelOrder(params: BinanceOrderRef): Promise<unknown>;
  /** DELETE /api/v3/openOrders: cancels every open order (and order list) of the symbol. */
  cancelOpenOrders(params: { readonly symbol: string }): Promise<unknown>;
  getOrder(params: BinanceOrderRef): Promise<unknown>;
  openOrders(params: { readonly symbol?: string }): Promise<unknown>;
  accountInfo(): Promise<unknown>;
  /** GET /api/v3/klines, zipped into objects by the library. */
  candles(params: { readonly symbol: string; readonly interval: string; readonly limit: number }): Promise<unknown>;
  /** GET /api/v3/myTrades for one order (Binance's orderId, as its digits). */
  myTrades(params: { readonly symbol: string; readonly orderId: string; readonly limit: number }): Promise<unknown>;
  /**
   * GET /sapi/v1/account/apiRestrictions. Optional so that scripted clients of the trading calls need not provide it;
   * the real client always has it.
   */
  apiRestrictions?(): Promise<unknown>;
  readonly ws: {
    /** Subscribes the user data stream over the WS API; resolves with the library's cleanup once subscribed. */
    user(callback: (event: unknown) => void): Promise<(options?: object) => void>;
  };
}

export interface BinanceClientOptions {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly httpBase: string;
  readonly wsBase: string;
  readonly wsApi: string;
  /** Milliseconds of server time for signing (REST timestamp and the WS API subscription). */
  readonly getTime: () => number;
}

const API_RESTRICTIONS_PATH = '/sapi/v1/account/apiRestrictions';

/** The library's factory as its typings declare it. */
type BinanceFactory = typeof BinanceImport.default;

// Under NodeNext tsc types the default import as the CommonJS module (factory under `.default`), while vitest's
// interop hands over the factory itself; take whichever arrived.
const imported: unknown = BinanceImport;
const Binance: BinanceFactory = typeof imported === 'function' ? (imported as BinanceFactory) : BinanceImport.default;

/** A real binance-api-node client on explicit URLs; `testnet` is never set because it means Demo Mode and ignores httpBase. */
export function createBinanceClient(options: BinanceClientOptions): BinanceClient {
  const client = Binance({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    httpBase: options.httpBase,
    wsBase: options.wsBase,
    wsApi: options.wsApi,
    getTime: options.getTime,
  });
  // The library has no method for this endpoint; its generic signed call goes to httpBase (any path but /fapi, /dapi,
  // /papi) with the same key, timestamp from getTime and HMAC signature as its /api/v3 calls.
  const apiRestrictions = (): Promise<unknown> => client.privateRequest('GET', API_RESTRICTIONS_PATH, {});
  // The library's typings use enums for side/type and promise number fields it does not always deliver; the adapter
  // talks to it through the narrower, honest BinanceClient shape above.
  return Object.assign(client, { apiRestrictions }) as unknown as BinanceClient;
}
