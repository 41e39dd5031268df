import type { Fixed, Side } from '../../domain/index.js';

export type NotificationKind =
  | 'fill'
  | 'denial'
  | 'position'
  | 'round_trip'
  | 'unknown_order'
  | 'kill'
  | 'recovery'
  | 'data'
  | 'error'
  | 'state';

/** 'silent' is sent with disable_notification; 'off' is dropped before it reaches Redis. */
export type NotificationLevel = 'on' | 'silent' | 'off';

export interface FillFacts {
  readonly side: Side;
  readonly quantity: Fixed;
  /** Quote value of the fill (price × quantity). */
  readonly quote: Fixed;
  /** Grid profit this fill closed, if it closed a round trip. */
  readonly gridProfit?: Fixed;
  /** Unit of `quote` and `gridProfit`; falls back to the outbox's quoteAssetOf(symbol). */
  readonly quoteAsset?: string;
}

export interface Notification {
  readonly chatId: number;
  readonly kind: NotificationKind;
  readonly text: string;
  /** Fills of the same symbol merge into one digest line. */
  readonly symbol?: string;
  readonly fill?: FillFacts;
  /** Overrides the kind's default (kill, denial and unknown_order are urgent). */
  readonly urgent?: boolean;
}

export const URGENT_KINDS: ReadonlySet<NotificationKind> = new Set(['kill', 'denial', 'unknown_order']);

/** What Redis keeps per notification: short keys because a burst can hold thousands. Money is decimal text of the bigint. */
export interface StoredNote {
  /** kind */
  readonly k: NotificationKind;
  /** text */
  readonly t: string;
  /** symbol */
  readonly s?: string;
  /** fill: side, quantity, quote, grid profit, quote asset (bigints as their decimal integer text) */
  readonly f?: { readonly d: Side; readonly q: string; readonly x: string; readonly g?: string; readonly a?: string };
  /** urgent */
  readonly u: boolean;
  /** silent */
  readonly m: boolean;
  /** enqueued at (outbox clock, ms) */
  readonly at: number;
}

export function toStored(note: Notification, urgent: boolean, silent: boolean, at: number): StoredNote {
  const f = note.fill;
  return {
    k: note.kind,
    t: note.text,
    ...(note.symbol !== undefined ? { s: note.symbol } : {}),
    ...(f !== undefined
      ? {
          f: {
            d: f.side,
            q: f.quantity.toString(),
            x: f.quote.toString(),
            ...(f.gridProfit !== undefined ? { g: f.gridProfit.toString() } : {}),
            ...(f.quoteAsset !== undefined ? { a: f.quoteAsset } : {}),
          },
        }
      : {}),
    u: urgent,
    m: silent,
    at,
  };
}
