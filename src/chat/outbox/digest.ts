import { ZERO } from '../../domain/index.js';
import { formatDuration, formatQty, formatQuote, formatSigned } from '../format.js';
import { CAPTION_LIMIT, type InlineKeyboard } from '../telegram/index.js';
import type { StoredNote } from './notification.js';

/** Telegram's sendMessage limit. JS length counts UTF-16 units, never fewer than Telegram's characters, so it is safe. */
export const TELEGRAM_TEXT_LIMIT = 4096;

export const UNCERTAIN_HEADER = '↻ Sent again after a restart interrupted delivery; you may have seen this already:';

export interface WaitingNote {
  readonly id: string;
  /** undefined when the id's record is gone (nothing to send; the id is cleared with the message). */
  readonly note: StoredNote | undefined;
  /** A previous attempt may have reached Telegram before a crash. */
  readonly uncertain: boolean;
}

export interface PlannedMessage {
  readonly text: string;
  readonly silent: boolean;
  /** A reply part's buttons. */
  readonly keyboard?: InlineKeyboard;
  /** Set when the message is an edit of this message of the bot's rather than a new one. */
  readonly editOf?: number;
  /** Set when the message is a reply's picture; `text` is then its caption. */
  readonly photo?: { readonly png: Uint8Array; readonly filename: string };
  /** How many ids from the head of the urgent and routine queues this message settles. */
  readonly urgentTaken: number;
  readonly routineTaken: number;
  /** The ids it settles, urgent first, in queue order. */
  readonly urgentIds: readonly string[];
  readonly routineIds: readonly string[];
  /** Notes merged into it (ids without a record are not counted). */
  readonly noteCount: number;
}

interface FillGroup {
  readonly kind: 'fills';
  readonly symbol: string;
  readonly first: StoredNote;
  firstAt: number;
  count: number;
  buys: number;
  sells: number;
  buyQty: bigint;
  sellQty: bigint;
  buyQuote: bigint;
  sellQuote: bigint;
  profit: bigint;
  hasProfit: boolean;
  unit: string;
}

/** A run of one grid's trailing moves in one direction: one line, with the window as the last move left it. */
interface TrailGroup {
  readonly kind: 'trail';
  readonly first: StoredNote;
  readonly gridId: string;
  readonly direction: 'up' | 'down';
  firstAt: number;
  count: number;
  lo: bigint;
  hi: bigint;
}

/** A run of one perpetual's funding settlements: one line with their count and net. */
interface FundingGroup {
  readonly kind: 'funding';
  readonly first: StoredNote;
  readonly symbol: string;
  readonly asset: string;
  firstAt: number;
  count: number;
  net: bigint;
}

type Part = { readonly kind: 'line'; text: string } | FillGroup | TrailGroup | FundingGroup;

function renderFunding(g: FundingGroup, now: number): string {
  if (g.count === 1) return g.first.t;
  const verb = g.net < 0n ? 'paid' : 'received';
  const net = g.net < 0n ? -g.net : g.net;
  return (
    `💸 Funding on ${g.symbol}: ${g.count} settlements in the last ${formatDuration(Math.max(0, now - g.firstAt))}, ` +
    `${verb} ${formatQuote(net)} ${g.asset} in all.`
  );
}

function renderTrail(g: TrailGroup, now: number): string {
  if (g.count === 1) return g.first.t;
  return (
    `${g.direction === 'up' ? '↗' : '↘'} Grid ${g.gridId} trailed ${g.direction} ${g.count} times in the last ` +
    `${formatDuration(Math.max(0, now - g.firstAt))}; it now spans ${formatQuote(g.lo)}–${formatQuote(g.hi)}.`
  );
}

function renderGroup(g: FillGroup, now: number): string {
  if (g.count === 1) return g.first.t;
  const unit = g.unit === '' ? '' : ` ${g.unit}`;
  const sides: string[] = [];
  if (g.buys > 0) sides.push(`${g.buys} ${g.buys === 1 ? 'buy' : 'buys'} ${formatQty(g.buyQty)} for ${formatQuote(g.buyQuote)}${unit}`);
  if (g.sells > 0)
    sides.push(`${g.sells} ${g.sells === 1 ? 'sell' : 'sells'} ${formatQty(g.sellQty)} for ${formatQuote(g.sellQuote)}${unit}`);
  if (g.hasProfit) sides.push(`grid profit ${formatSigned(g.profit)}${unit}`);
  return `✅ ${g.count} fills on ${g.symbol} in the last ${formatDuration(Math.max(0, now - g.firstAt))}: ${sides.join(', ')}`;
}

function render(parts: readonly Part[], uncertain: boolean, now: number): string {
  const lines = parts.map((p) =>
    p.kind === 'line'
      ? p.text
      : p.kind === 'trail'
        ? renderTrail(p, now)
        : p.kind === 'funding'
          ? renderFunding(p, now)
          : renderGroup(p, now),
  );
  return (uncertain ? [UNCERTAIN_HEADER, ...lines] : lines).join('\n');
}

function addTo(
  parts: Part[],
  groups: Map<string, FillGroup>,
  note: StoredNote,
  unitOf: (symbol: string) => string,
  positions: Map<string, Part & { kind: 'line' }>,
  trails: Map<string, TrailGroup>,
  fundings: Map<string, FundingGroup>,
): void {
  const f = note.f;
  const r = note.r;
  const fu = note.fu;
  if (fu !== undefined && note.s !== undefined) {
    // Every settlement of a symbol in one message is one line: how many, and what they came to together.
    let g = fundings.get(note.s);
    if (g === undefined) {
      g = { kind: 'funding', first: note, symbol: note.s, asset: fu.a, firstAt: note.at, count: 0, net: 0n };
      fundings.set(note.s, g);
      parts.push(g);
    }
    g.count++;
    g.firstAt = Math.min(g.firstAt, note.at);
    g.net += BigInt(fu.x);
    return;
  }
  if (r !== undefined) {
    // A fast trend moves a grid many times: the moves of one grid and direction are one line, however many there are.
    const key = `${r.g} ${r.d}`;
    let t = trails.get(key);
    if (t === undefined) {
      t = { kind: 'trail', first: note, gridId: r.g, direction: r.d, firstAt: note.at, count: 0, lo: 0n, hi: 0n };
      trails.set(key, t);
      parts.push(t);
    }
    t.count++;
    t.firstAt = Math.min(t.firstAt, note.at);
    t.lo = BigInt(r.lo);
    t.hi = BigInt(r.hi);
    return;
  }
  if (note.k === 'position' && note.s !== undefined) {
    // A position is a snapshot: within one message only the latest per symbol says anything (all are settled with it).
    const shown = positions.get(note.s);
    if (shown) shown.text = note.t;
    else {
      const part = { kind: 'line' as const, text: note.t };
      positions.set(note.s, part);
      parts.push(part);
    }
    return;
  }
  if (note.k !== 'fill' || f === undefined || note.s === undefined) {
    parts.push({ kind: 'line', text: note.t });
    return;
  }
  let g = groups.get(note.s);
  if (g === undefined) {
    g = {
      kind: 'fills',
      symbol: note.s,
      first: note,
      firstAt: note.at,
      count: 0,
      buys: 0,
      sells: 0,
      buyQty: ZERO,
      sellQty: ZERO,
      buyQuote: ZERO,
      sellQuote: ZERO,
      profit: ZERO,
      hasProfit: false,
      unit: f.a ?? unitOf(note.s),
    };
    groups.set(note.s, g);
    parts.push(g);
  }
  g.count++;
  g.firstAt = Math.min(g.firstAt, note.at);
  if (f.d === 'BUY') {
    g.buys++;
    g.buyQty += BigInt(f.q);
    g.buyQuote += BigInt(f.x);
  } else {
    g.sells++;
    g.sellQty += BigInt(f.q);
    g.sellQuote += BigInt(f.x);
  }
  if (f.g !== undefined) {
    g.profit += BigInt(f.g);
    g.hasProfit = true;
  }
}

/** Cuts a single note that alone is over the limit: the only case where text is shortened, since it cannot be sent whole. */
function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A reply part, a picture or an edit is said as it is, alone: never merged into a digest, never carrying notes with it. */
function isAnswer(note: StoredNote): boolean {
  return note.k === 'reply' || note.k === 'photo' || note.k === 'edit';
}

/**
 * An answer's text (a picture's caption): an edit goes as it is (repeating one changes nothing); a maybe-repeated
 * reply or picture says so.
 */
function answerText(note: StoredNote, uncertain: boolean, limit: number): string {
  const room = note.k === 'photo' ? Math.min(limit, CAPTION_LIMIT) : limit;
  return clip(uncertain && note.k !== 'edit' ? `${UNCERTAIN_HEADER}\n${note.t}` : note.t, room);
}

/**
 * The next message for one chat: urgent notes if any wait (never mixed with routine ones), else routine ones, each a
 * prefix of its queue in order, as many as fit under `limit`. Fills merge per symbol so every fill is counted in exactly
 * one message; a reply part or an edit goes alone. Returns undefined when nothing waits. Always takes at least one
 * note, so the queue cannot stall.
 */
export function planMessage(
  urgent: readonly WaitingNote[],
  routine: readonly WaitingNote[],
  now: number,
  unitOf: (symbol: string) => string,
  limit = TELEGRAM_TEXT_LIMIT,
): PlannedMessage | undefined {
  const useUrgent = urgent.length > 0;
  const source = useUrgent ? urgent : routine;
  if (source.length === 0) return undefined;
  const parts: Part[] = [];
  const groups = new Map<string, FillGroup>();
  const trails = new Map<string, TrailGroup>();
  const fundings = new Map<string, FundingGroup>();
  const positions = new Map<string, Part & { kind: 'line' }>();
  const ids: string[] = [];
  let taken = 0;
  let count = 0;
  let silent = true;
  let uncertain = false;
  let text = '';
  let answer: StoredNote | undefined;
  for (const w of source) {
    if (w.note === undefined) {
      // A record already gone: settle its id with this message, there is nothing to say for it.
      ids.push(w.id);
      taken++;
      continue;
    }
    if (count > 0 && (answer !== undefined || isAnswer(w.note))) break;
    if (isAnswer(w.note)) {
      answer = w.note;
      text = answerText(w.note, w.uncertain, limit);
      silent = false;
      ids.push(w.id);
      taken++;
      count++;
      continue;
    }
    // Maybe-repeated notes travel apart from the rest, so the header never claims a note was seen that was not.
    if (count > 0 && w.uncertain !== uncertain) break;
    addTo(parts, groups, w.note, unitOf, positions, trails, fundings);
    const candidate = render(parts, w.uncertain, now);
    // Over the limit: stop here; `text` still holds the last rendering that fitted, and this note waits.
    if (count > 0 && candidate.length > limit) break;
    text = count === 0 ? clip(candidate, limit) : candidate;
    uncertain = w.uncertain;
    silent &&= w.note.m;
    ids.push(w.id);
    taken++;
    count++;
  }
  return {
    text,
    silent: count === 0 ? true : silent,
    ...(answer?.b !== undefined ? { keyboard: answer.b } : {}),
    ...(answer?.k === 'edit' && answer.e !== undefined ? { editOf: answer.e } : {}),
    ...(answer?.p !== undefined && answer.n !== undefined
      ? { photo: { png: new Uint8Array(Buffer.from(answer.p, 'base64')), filename: answer.n } }
      : {}),
    urgentTaken: useUrgent ? taken : 0,
    routineTaken: useUrgent ? 0 : taken,
    urgentIds: useUrgent ? ids : [],
    routineIds: useUrgent ? [] : ids,
    noteCount: count,
  };
}
