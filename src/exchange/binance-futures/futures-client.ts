// Loads the spot adapter's Retry-After and usage capture before binance-api-node, which reads node-fetch once.
import '../binance/index.js';
import BinanceImport from 'binance-api-node';
import type { FuturesEndpoints } from './futures-urls.js';

/** POST /fapi/v1/order as the adapter sends it: decimals as strings, our client id always, one-way (BOTH). */
export interface FuturesOrderParams {
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: 'LIMIT' | 'MARKET';
  readonly quantity: string;
  readonly price?: string;
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  readonly reduceOnly?: 'true';
  readonly positionSide: 'BOTH';
  readonly newClientOrderId: string;
  readonly newOrderRespType: 'RESULT';
}

interface OrderRef {
  readonly symbol: string;
  readonly origClientOrderId: string;
}

/**
 * The slice of binance-api-node the futures adapter uses. Answers are `unknown`: json-bigint may hand back BigNumbers
 * and the library's typings promise shapes it does not deliver (futuresTime is a number, futuresCancelAllOpenOrders
 * is {code,msg}), so the mapping functions check every field.
 */
export interface FuturesClient {
  futuresTime(): Promise<unknown>;
  futuresExchangeInfo(): Promise<unknown>;
  futuresOrder(params: FuturesOrderParams): Promise<unknown>;
  futuresCancelOrder(params: OrderRef): Promise<unknown>;
  futuresCancelAllOpenOrders(params: { readonly symbol: string }): Promise<unknown>;
  futuresGetOrder(params: OrderRef): Promise<unknown>;
  futuresOpenOrders(params: { readonly symbol?: string }): Promise<unknown>;
  /** orderId as its digits: it may exceed 2^53. */
  futuresUserTrades(params: { readonly symbol: string; readonly orderId: string; readonly limit: number }): Promise<unknown>;
  futuresPositionRisk(params: { readonly symbol?: string }): Promise<unknown>;
  futuresAccountInfo(params: object): Promise<unknown>;
  futuresLeverage(params: { readonly symbol: string; readonly leverage: number }): Promise<unknown>;
  futuresMarginType(params: { readonly symbol: string; readonly marginType: 'ISOLATED' | 'CROSSED' }): Promise<unknown>;
  futuresPositionMode(params: object): Promise<unknown>;
  futuresLeverageBracket(params: { readonly symbol?: string }): Promise<unknown>;
  futuresCommissionRate(params: { readonly symbol: string }): Promise<unknown>;
  futuresIncome(params: Readonly<Record<string, string | number>>): Promise<unknown>;
  futuresMarkPrice(params: { readonly symbol: string }): Promise<unknown>;
  /** GET /fapi/v1/klines, zipped into objects by the library (the shape spot's `candles` has). */
  futuresCandles(params: { readonly symbol: string; readonly interval: string; readonly limit: number }): Promise<unknown>;
  /** POST /fapi/v1/countdownCancelAll: the library has no method, so its generic signed call (to httpFutures). */
  countdownCancelAll(params: { readonly symbol: string; readonly countdownTime: number }): Promise<unknown>;
  /** GET /fapi/v1/fundingInfo: no method either; its generic public call. */
  fundingInfo(): Promise<unknown>;
  readonly ws: {
    /**
     * The listenKey user stream: POST key, socket `${wsFuturesPrivate}/${key}`, PUT at once and every 50 s (wall
     * time), and on a failed PUT a new key and socket. `transform` false hands over Binance's own frames.
     */
    futuresUser(callback: (event: unknown) => void, transform: false): Promise<(options?: object) => unknown>;
  };
}

export interface FuturesClientOptions extends FuturesEndpoints {
  readonly apiKey: string;
  readonly apiSecret: string;
  /** Server time for signing, ms. */
  readonly getTime: () => number;
}

type BinanceFactory = typeof BinanceImport.default;

// Under NodeNext tsc types the default import as the CommonJS module (factory under `.default`), while vitest's
// interop hands over the factory itself; take whichever arrived.
const imported: unknown = BinanceImport;
const Binance: BinanceFactory = typeof imported === 'function' ? (imported as BinanceFactory) : BinanceImport.default;

/**
 * A real binance-api-node client on explicit futures URLs. `httpBase` is the futures root too, so nothing this client
 * sends can reach the spot API (the library's `useServerTime` would fetch /api/v3/time from httpBase: we never set it
 * and sign with `getTime`). The stream URLs are module-global in the library: claim them first (stream-url-claim.ts).
 */
export function createFuturesClient(options: FuturesClientOptions): FuturesClient {
  const client = Binance({
    apiKey: options.apiKey,
    apiSecret: options.apiSecret,
    httpBase: options.httpFutures,
    httpFutures: options.httpFutures,
    wsFuturesPublic: options.wsFuturesPublic,
    wsFuturesMarket: options.wsFuturesMarket,
    wsFuturesPrivate: options.wsFuturesPrivate,
    getTime: options.getTime,
    // The user stream says when its socket opens and when a keepalive PUT failed (-1125): the gateway acts on both.
    emitSocketOpens: true,
    emitStreamErrors: true,
  });
  const countdownCancelAll = (params: { readonly symbol: string; readonly countdownTime: number }): Promise<unknown> =>
    client.privateRequest('POST', '/fapi/v1/countdownCancelAll', params);
  const fundingInfo = (): Promise<unknown> => client.publicRequest('GET', '/fapi/v1/fundingInfo', {});
  return Object.assign(client, { countdownCancelAll, fundingInfo }) as unknown as FuturesClient;
}
