import { type ExecutionReport, isBotOrder } from '../../domain/index.js';
import type { ExchangeGateway } from '../../exchange/index.js';

/** What the watchdog needs of the exchange adapter the bot uses: it lists and cancels, and never places. */
export type CancelingVenue = Pick<ExchangeGateway, 'openOrders' | 'cancelAll' | 'cancelOrder'>;

/** What the watchdog did on the exchange for a dead bot. */
export interface CancelReport {
  /** Bot orders the exchange confirmed cancelled. */
  readonly canceled: readonly { readonly clientOrderId: string; readonly symbol: string }[];
  /** Bot orders still open after the last round, with the exchange's last word on them. */
  readonly left: readonly { readonly clientOrderId: string; readonly symbol: string; readonly reason: string }[];
  /** Symbols whose open orders could not be listed in the last round, with why. */
  readonly unlisted: readonly { readonly symbol: string; readonly reason: string }[];
  /** Orders on these symbols that are not the bot's (no `tg_` prefix), left alone. */
  readonly manualLeft: number;
  /**
   * Orders not the bot's that a cancel-all took anyway: placed by hand in the instant between the listing that found
   * only bot orders and the cancel-all. Said, never hidden.
   */
  readonly manualCanceled: readonly { readonly clientOrderId: string; readonly symbol: string }[];
}

export interface CancelOptions {
  /** Rounds of list-then-cancel before giving up (a cancel may fail on a 5xx, an order may appear from a late job). */
  readonly rounds: number;
  /** Waits between rounds, growing with each; injected so tests need not wait. */
  readonly pause: (round: number) => Promise<void>;
}

const why = (e: { readonly code: string; readonly message: string }) => `${e.code}: ${e.message}`;

/**
 * Cancels every bot order (`tg_`) on the given symbols, round after round until a listing finds none or the rounds run
 * out. Per symbol, one cancel-all request (weight 1) when every open order there is the bot's, else one cancel per bot
 * order, so an order the owner placed by hand is never touched. Each round lists again: the exchange's list, not our
 * own bookkeeping, says what is left.
 */
export async function cancelBotOrders(venue: CancelingVenue, symbols: readonly string[], o: CancelOptions): Promise<CancelReport> {
  const canceled = new Map<string, { clientOrderId: string; symbol: string }>();
  const lastError = new Map<string, string>();
  const manualCanceled: Array<{ clientOrderId: string; symbol: string }> = [];
  let left: CancelReport['left'] = [];
  let unlisted: CancelReport['unlisted'] = [];
  let manualLeft = 0;
  for (let round = 1; round <= o.rounds; round++) {
    if (round > 1) await o.pause(round);
    const listed = await Promise.all(symbols.map(async (symbol) => ({ symbol, open: await venue.openOrders(symbol) })));
    unlisted = listed.flatMap(({ symbol, open }) => (open.ok ? [] : [{ symbol, reason: why(open.error) }]));
    manualLeft = 0;
    const work: Array<{ symbol: string; bot: readonly ExecutionReport[]; all: boolean }> = [];
    for (const { symbol, open } of listed) {
      if (!open.ok) continue;
      const bot = open.value.filter((r) => isBotOrder(r.clientOrderId));
      manualLeft += open.value.length - bot.length;
      if (bot.length > 0) work.push({ symbol, bot, all: bot.length === open.value.length });
    }
    left = work.flatMap(({ symbol, bot }) =>
      bot.map((r) => ({ clientOrderId: r.clientOrderId, symbol, reason: lastError.get(r.clientOrderId) ?? 'still open' })),
    );
    if (work.length === 0 && unlisted.length === 0) break;
    if (round === o.rounds) break;
    await Promise.all(work.map((w) => cancelOn(venue, w, { canceled, lastError, manualCanceled })));
  }
  // An order cancelled in one round and listed again later cannot happen; an order listed as left is not cancelled.
  for (const l of left) canceled.delete(l.clientOrderId);
  return { canceled: [...canceled.values()], left, unlisted, manualLeft, manualCanceled };
}

async function cancelOn(
  venue: CancelingVenue,
  w: { symbol: string; bot: readonly ExecutionReport[]; all: boolean },
  seen: {
    canceled: Map<string, { clientOrderId: string; symbol: string }>;
    lastError: Map<string, string>;
    manualCanceled: Array<{ clientOrderId: string; symbol: string }>;
  },
): Promise<void> {
  const { canceled, lastError } = seen;
  const note = (r: ExecutionReport) => {
    const ref = { clientOrderId: r.clientOrderId, symbol: w.symbol };
    if (isBotOrder(r.clientOrderId)) canceled.set(r.clientOrderId, ref);
    else seen.manualCanceled.push(ref);
  };
  if (w.all) {
    const res = await venue.cancelAll(w.symbol);
    if (res.ok) return res.value.forEach(note);
    // The next round lists again and asks again; the reason is kept for the report if it never succeeds.
    for (const r of w.bot) lastError.set(r.clientOrderId, why(res.error));
    return;
  }
  await Promise.all(
    w.bot.map(async (r) => {
      const res = await venue.cancelOrder(w.symbol, r.clientOrderId);
      if (res.ok) note(res.value);
      else lastError.set(r.clientOrderId, why(res.error));
    }),
  );
}
