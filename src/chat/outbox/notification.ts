import { z } from 'zod';
import type { Fixed, Side } from '../../domain/index.js';
import type { InlineKeyboard } from '../telegram/index.js';

/** Every kind of notification; the one list the type, the stored note's schema and NOTIFY_LEVELS all come from. */
const NOTIFICATION_KINDS = [
  'fill',
  'denial',
  'position',
  'round_trip',
  'unknown_order',
  'kill',
  'recovery',
  'data',
  'error',
  'state',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

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

/** A trailing grid's move, so a run of moves is told as one digest line (README "Trailing"). */
export interface TrailFacts {
  readonly gridId: string;
  readonly direction: 'up' | 'down';
  /** The window's lowest and highest line after the move. */
  readonly lowPrice: Fixed;
  readonly highPrice: Fixed;
}

/** A funding settlement on one perpetual, so a run of them is told as one digest line per symbol with the net. */
export interface FundingFacts {
  /** The wallet change: negative when the position paid. */
  readonly amount: Fixed;
  readonly asset: string;
}

export interface Notification {
  readonly chatId: number;
  readonly kind: NotificationKind;
  readonly text: string;
  /** Fills of the same symbol merge into one digest line. */
  readonly symbol?: string;
  readonly fill?: FillFacts;
  /** A trailing move: moves of the same grid and direction merge into one digest line. */
  readonly trail?: TrailFacts;
  /** A funding settlement: settlements of the same symbol merge into one digest line. */
  readonly funding?: FundingFacts;
  /** Overrides the kind's default (kill, denial and unknown_order are urgent). */
  readonly urgent?: boolean;
}

/**
 * What the outbox keeps besides notifications: one part of a command's reply (sent alone, its buttons on the last part),
 * a reply's picture, and an edit of a message the bot sent. None has a level: the owner asked for them.
 */
const ANSWER_KINDS = ['reply', 'photo', 'edit'] as const;

export const URGENT_KINDS: ReadonlySet<NotificationKind> = new Set(['kill', 'denial', 'unknown_order']);

/** A bigint as its decimal integer text: what the digest adds up with BigInt(), which throws on anything else. */
const bigText = z.string().regex(/^-?\d+$/, 'expected an integer as decimal text');

/**
 * What Redis keeps per notification: short keys because a burst can hold thousands. Money is decimal text of the bigint.
 * The schema is the type (StoredNote is inferred from it) and is checked on every read, so a damaged note is set aside
 * rather than stalling its chat. Unknown keys are dropped, not refused: a newer process may add some mid-upgrade.
 */
export const storedNoteSchema = z
  .object({
    /** kind */
    k: z.enum([...NOTIFICATION_KINDS, ...ANSWER_KINDS]),
    /** text */
    t: z.string(),
    /** symbol */
    s: z.string().optional(),
    /** fill: side, quantity, quote, grid profit, quote asset */
    f: z
      .object({
        d: z.enum(['BUY', 'SELL']) satisfies z.ZodType<Side>,
        q: bigText,
        x: bigText,
        g: bigText.optional(),
        a: z.string().optional(),
      })
      .readonly()
      .optional(),
    /** a trailing move: grid, direction, the window's lowest and highest line */
    r: z
      .object({ g: z.string(), d: z.enum(['up', 'down']), lo: bigText, hi: bigText })
      .readonly()
      .optional(),
    /** a funding settlement: the wallet change and its asset */
    fu: z.object({ x: bigText, a: z.string() }).readonly().optional(),
    /** a reply part's inline keyboard (its last part only) */
    b: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))).optional() satisfies z.ZodType<
      InlineKeyboard | undefined
    >,
    /** the message an edit replaces the text of */
    e: z.number().int().optional(),
    /** a picture's PNG bytes, base64 (JSON has no bytes; a third more is the price of one self-contained record) */
    p: z
      .string()
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64')
      .optional(),
    /** a picture's file name */
    n: z.string().optional(),
    /** urgent */
    u: z.boolean(),
    /** silent */
    m: z.boolean(),
    /** enqueued at (outbox clock, ms) */
    at: z.number(),
  })
  .refine((n) => (n.k === 'edit') === (n.e !== undefined), {
    message: 'an edit, and only an edit, names the message it edits',
    path: ['e'],
  })
  .refine((n) => (n.k === 'photo') === (n.p !== undefined && n.n !== undefined), {
    message: 'a picture, and only a picture, carries PNG bytes and a file name',
    path: ['p'],
  })
  .readonly();
export type StoredNote = z.infer<typeof storedNoteSchema>;

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
    ...(note.trail !== undefined
      ? { r: { g: note.trail.gridId, d: note.trail.direction, lo: note.trail.lowPrice.toString(), hi: note.trail.highPrice.toString() } }
      : {}),
    ...(note.funding !== undefined ? { fu: { x: note.funding.amount.toString(), a: note.funding.asset } } : {}),
    u: urgent,
    m: silent,
    at,
  };
}

/** One part of a command's reply as Redis keeps it: never silent, since someone asked for it. */
export function storedReplyPart(text: string, keyboard: InlineKeyboard | undefined, urgent: boolean, at: number): StoredNote {
  return { k: 'reply', t: text, ...(keyboard !== undefined ? { b: keyboard } : {}), u: urgent, m: false, at };
}

/** A reply's picture as Redis keeps it, bytes and all, so it lives and dies with its record like any reply part. */
export function storedPhoto(png: Uint8Array, caption: string, filename: string, urgent: boolean, at: number): StoredNote {
  const p = Buffer.from(png.buffer, png.byteOffset, png.byteLength).toString('base64');
  return { k: 'photo', t: caption, p, n: filename, u: urgent, m: false, at };
}

/**
 * An edit as Redis keeps it. Edits take the urgent lane: each answers a tap on a button and comes before that tap's
 * outcome (a reply in either lane), so it must not wait behind routine notes the outcome could overtake.
 */
export function storedEdit(messageId: number, text: string, at: number): StoredNote {
  return { k: 'edit', t: text, e: messageId, u: true, m: false, at };
}
