import { type Instrument, type Result, failure, ok, perpetualSymbol } from '../domain/index.js';
import {
  BINANCE_FUTURES_LIVE,
  BINANCE_FUTURES_TESTNET,
  BinanceFuturesGateway,
  type FuturesEndpoints,
} from '../exchange/binance-futures/index.js';
import type { Config } from './config.js';
import type { Clock } from '../engine/index.js';
import type { Logger } from './logger.js';

/**
 * Where USD-M trades: BINANCE_FUTURES_* when set; else Binance's for live and testnet, and in paper mode the sandbox the
 * spot side talks to (it serves /fapi and the futures streams on its one port: `/fstream/ws` carries them all).
 */
export function futuresEndpointsOf(config: Config, spotHttpBase: string): FuturesEndpoints {
  const defaults =
    config.TRADING_MODE === 'live'
      ? BINANCE_FUTURES_LIVE
      : config.TRADING_MODE === 'testnet'
        ? BINANCE_FUTURES_TESTNET
        : sandboxFutures(spotHttpBase);
  const httpFutures = config.BINANCE_FUTURES_HTTP_BASE ?? defaults.httpFutures;
  const ws = config.BINANCE_FUTURES_WS_BASE;
  if (ws === undefined) return { ...defaults, httpFutures };
  return /\/ws\/?$/.test(ws) ? legacyRoot(httpFutures, ws.replace(/\/$/, '')) : splitRoots(httpFutures, ws.replace(/\/$/, ''));
}

/** The sandbox's legacy root carries every USD-M stream and the user stream, as fstream did before the 2026 split. */
function sandboxFutures(httpBase: string): FuturesEndpoints {
  return legacyRoot(httpBase, `${httpBase.replace(/^http/, 'ws').replace(/\/$/, '')}/fstream/ws`);
}

function legacyRoot(httpFutures: string, ws: string): FuturesEndpoints {
  return { httpFutures, wsFuturesPublic: ws, wsFuturesMarket: ws, wsFuturesPrivate: ws };
}

function splitRoots(httpFutures: string, host: string): FuturesEndpoints {
  return {
    httpFutures,
    wsFuturesPublic: `${host}/public/ws`,
    wsFuturesMarket: `${host}/market/ws`,
    wsFuturesPrivate: `${host}/private/ws`,
  };
}

/** The futures side of the venue, open and checked. */
export interface FuturesSide {
  readonly gateway: BinanceFuturesGateway;
  readonly endpoints: FuturesEndpoints;
  /** The perpetuals traded, the bot's names (`BTCUSDT.P`), with their filters. */
  readonly instruments: readonly Instrument[];
}

/**
 * Opens the USD-M gateway when FUTURES_SYMBOLS names perpetuals: the clock synced on /fapi, the account in one-way mode
 * (the bot nets one position per symbol; hedge mode is refused with what to change), every perpetual listed. Undefined
 * without FUTURES_SYMBOLS. On failure nothing is left open.
 */
export async function openFuturesSide(
  config: Config,
  io: { readonly clock: Clock; readonly log: Logger },
  endpoints: FuturesEndpoints,
  account: { readonly apiKey: string; readonly apiSecret: string },
  embedded: boolean,
): Promise<Result<FuturesSide | undefined>> {
  if (config.FUTURES_SYMBOLS.length === 0) return ok(undefined);
  const where = endpoints.httpFutures;
  const gateway = new BinanceFuturesGateway({
    ...account,
    ...endpoints,
    clock: io.clock,
    requestTimeoutMs: config.EXCHANGE_TIMEOUT_MS,
    name: embedded ? `the sandbox's USD-M futures at ${where}` : `USD-M futures at ${where}`,
    onStreamProblem: (problem) => io.log.error({ code: problem.code }, `futures user data stream: ${problem.message}`),
  });
  const checked = await checkFutures(config, gateway, where);
  if (!checked.ok) {
    gateway.close();
    return checked;
  }
  return ok({ gateway, endpoints, instruments: checked.value });
}

async function checkFutures(config: Config, gateway: BinanceFuturesGateway, where: string): Promise<Result<readonly Instrument[]>> {
  const synced = await gateway.syncTime();
  if (!synced.ok) return failure(synced.error.code, `cannot reach USD-M futures at ${where}: ${synced.error.message}`);
  const mode = await gateway.positionMode();
  if (!mode.ok) {
    if (mode.error.code === 'HEDGE_MODE')
      return failure(
        'HEDGE_MODE',
        'the futures account is in hedge mode (dual-side positions); telegrid trades USD-M in one-way mode only. ' +
          'Switch it to one-way mode (Binance: Futures → Preferences → Position Mode → One-way; no open positions or orders ' +
          'may be left), or empty FUTURES_SYMBOLS to trade spot alone.',
      );
    return failure(mode.error.code, `cannot read the futures account's position mode: ${mode.error.message}`);
  }
  const listed = await gateway.instruments();
  if (!listed.ok) return failure(listed.error.code, `cannot read the USD-M perpetuals: ${listed.error.message}`);
  const wanted = config.FUTURES_SYMBOLS.map(perpetualSymbol);
  const instruments = listed.value.filter((i) => wanted.includes(i.symbol));
  const missing = wanted.filter((s) => !instruments.some((i) => i.symbol === s));
  if (missing.length > 0)
    return failure('UNKNOWN_SYMBOL', `USD-M futures at ${where} list no perpetual ${missing.join(', ')} (FUTURES_SYMBOLS)`);
  return ok(instruments);
}
