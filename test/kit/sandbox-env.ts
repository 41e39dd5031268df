/** The settings that point the bot, in paper mode, at a sandbox exchange the test owns. */
import type { SandboxServer } from '../../src/sandbox/index.js';

/** TRADING_MODE paper on `server`'s REST, market streams and WebSocket API, with `account`'s key, under `prefix`. */
export function paperOnSandbox(
  server: Pick<SandboxServer, 'httpBase' | 'wsBase' | 'wsApi'>,
  account: { readonly apiKey: string; readonly apiSecret: string },
  prefix: string,
): Record<string, string> {
  return {
    TRADING_MODE: 'paper',
    BINANCE_HTTP_BASE: server.httpBase,
    BINANCE_WS_BASE: server.wsBase,
    BINANCE_WS_API: server.wsApi,
    BINANCE_API_KEY: account.apiKey,
    BINANCE_API_SECRET: account.apiSecret,
    KEY_PREFIX: prefix,
  };
}
