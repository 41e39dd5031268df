/** Binance closes a connection that asks for more streams than this (PROTOCOLS.md B.1). */
export const MAX_STREAMS_PER_CONNECTION = 1024;

export interface Backoff {
  readonly minMs: number;
  readonly maxMs: number;
}

/** One connection: its URL and the (upper-case) symbols whose trades it carries. */
export interface ConnectionPlan {
  readonly url: string;
  readonly symbols: readonly string[];
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
    plans.push({ url: root + group.map((s) => `${s.toLowerCase()}@trade`).join('/'), symbols: group });
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
