import { venueSymbol } from '../../domain/index.js';

/** Binance closes a connection that asks for more streams than this (PROTOCOLS.md B.1). */
export const MAX_STREAMS_PER_CONNECTION = 1024;

export interface Backoff {
  readonly minMs: number;
  readonly maxMs: number;
}

/** One connection: its URL and the (upper-case) symbols whose trades it carries. */
export interface ConnectionPlan {
  readonly url: string;
  /** The bot's names: `BTCUSDT` on spot, `BTCUSDT.P` on USD-M. */
  readonly symbols: readonly string[];
  /** Spot `<s>@trade`, or USD-M `<s>@aggTrade` and `<s>@markPrice@1s` (frames read by `trade-message.ts`). */
  readonly market: 'spot' | 'usdm';
}

/**
 * The combined-stream URLs for `<symbol>@trade` of every symbol, at most `perConnection` streams each: the same host as
 * Binance's `…/ws` base with `/stream?streams=a/b/c`. The subscription is the URL, so reopening it resubscribes.
 */
export function planTradeConnections(
  wsBase: string,
  symbols: readonly string[],
  perConnection = MAX_STREAMS_PER_CONNECTION,
): ConnectionPlan[] {
  if (!/\/ws\/?$/.test(wsBase)) throw new RangeError(`wsBase must end in /ws: ${wsBase}`);
  if (!(perConnection >= 1 && perConnection <= MAX_STREAMS_PER_CONNECTION)) {
    throw new RangeError(`streams per connection must be 1..1024: ${perConnection}`);
  }
  const root = wsBase.replace(/\/ws\/?$/, '/stream?streams=');
  const unique = [...new Set(symbols.map((s) => s.toUpperCase()))];
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < unique.length; i += perConnection) {
    const group = unique.slice(i, i + perConnection);
    plans.push({ url: root + group.map((s) => `${s.toLowerCase()}@trade`).join('/'), symbols: group, market: 'spot' });
  }
  return plans;
}

/**
 * The USD-M combined streams for perpetuals (the bot's `.P` names): `<s>@aggTrade` (Binance's documented USD-M trade
 * stream on the `/market` root; `@trade` is not in its list) and `<s>@markPrice@1s`, two streams per symbol, at most
 * `perConnection` streams each, on the futures market root `wsMarketBase` (ending in `/ws`).
 */
export function planFuturesConnections(
  wsMarketBase: string,
  perpetuals: readonly string[],
  perConnection = MAX_STREAMS_PER_CONNECTION,
): ConnectionPlan[] {
  if (!/\/ws\/?$/.test(wsMarketBase)) throw new RangeError(`wsMarketBase must end in /ws: ${wsMarketBase}`);
  if (!(perConnection >= 2 && perConnection <= MAX_STREAMS_PER_CONNECTION)) {
    throw new RangeError(`streams per connection must be 2..1024 for USD-M: ${perConnection}`);
  }
  const root = wsMarketBase.replace(/\/ws\/?$/, '/stream?streams=');
  const unique = [...new Set(perpetuals.map((s) => s.toUpperCase()))];
  const perGroup = Math.floor(perConnection / 2);
  const plans: ConnectionPlan[] = [];
  for (let i = 0; i < unique.length; i += perGroup) {
    const group = unique.slice(i, i + perGroup);
    const streams = group.flatMap((s) => {
      const name = venueSymbol(s).toLowerCase();
      return [`${name}@aggTrade`, `${name}@markPrice@1s`];
    });
    plans.push({ url: root + streams.join('/'), symbols: group, market: 'usdm' });
  }
  return plans;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): doubling from `minMs`, capped at `maxMs`, with "equal jitter"
 * (half fixed, half random) so a fleet of bots dropped together does not reconnect in step.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const base = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base / 2 + (random() * base) / 2);
}
