import { listenKeysOf } from './fapi-listen-key-store.js';
import { type Handler, type Route, reply } from './rest-context.js';
import { restError } from './rest-error.js';

/**
 * USD-M's listenKey (PROTOCOLS-FUTURES B.1): USER_STREAM security, the API key only. PUT and DELETE take `listenKey`
 * unsigned, as binance-api-node sends it; without one they act on the account's active key, as Binance's docs list no
 * parameter for them.
 */

const NO_SUCH_KEY = restError(-1125, 'This listenKey does not exist.');

export const fapiListenKeyCreate: Handler = (ctx) => reply({ listenKey: listenKeysOf(ctx.hub).create() });

export const fapiListenKeyKeepAlive: Handler = (ctx, p) => {
  const key = listenKeysOf(ctx.hub).keepAlive(p.get('listenKey'));
  return key === undefined ? NO_SUCH_KEY : reply({ listenKey: key });
};

/** Deleting an unknown or expired key answers `{}` too (chosen: a client cleaning up must not fail on a dead key). */
export const fapiListenKeyDelete: Handler = (ctx, p) => {
  listenKeysOf(ctx.hub).remove(p.get('listenKey'));
  return reply({});
};

/** A listenKey route: USER_STREAM (API key, no signature), weight 1. */
export function userStreamRoute(handle: Handler): Route {
  return { signed: false, apiKeyOnly: true, weight: () => 1, handle };
}
