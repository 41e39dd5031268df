import type { z } from 'zod';
import { type Failure, type Result, failure, ok } from '../domain/index.js';

/** The kinds of document under `<prefix>:state:*`, each with its own schema and its own way out. */
export type StateKind = 'orders' | 'grids' | 'portfolio' | 'futures' | 'ids' | 'trading';

/** Where a damaged document sits: the key, and the hash field for the per-order and per-grid hashes. */
interface StatePlace {
  readonly kind: StateKind;
  readonly key: string;
  readonly field?: string;
}

/** One thing wrong with the stored state: where, and what (the schema's path and expectation, or restore's reason). */
export interface StateProblem extends StatePlace {
  readonly what: string;
  /** Found only when putting the state into the components (an unknown symbol, a ladder that contradicts itself). */
  readonly atRestore?: boolean;
}

/** Issues described per document: enough to find the fault, not a wall of text for a document damaged all over. */
const ISSUES_SHOWN = 3;

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out === '' ? '' : '.'}${String(p)}`;
  return out === '' ? 'the top' : out;
}

/** The offending value when it is short enough to quote (a number, a word); objects are named by the path alone. */
function got(issue: z.core.$ZodIssue): string {
  if (!('input' in issue) || issue.code === 'unrecognized_keys') return '';
  const input = issue.input;
  if (input === undefined) return ' (the field is missing)';
  if (typeof input === 'object') return ''; // null is named by zod's own message ("received null")
  const text = JSON.stringify(input);
  return text.length <= 40 ? `, got ${text}` : '';
}

function describe(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, ISSUES_SHOWN).map((i) => `at ${pathOf(i.path)}: ${lowerFirst(i.message)}${got(i)}`);
  const more = issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * Reads one stored document as JSON checked by its schema: the value, or what is wrong with it. Plain JSON.parse rather
 * than decodeJson: the schema itself turns each `{"$big":…}` into a bigint, and only where an amount belongs.
 */
export function parseStored<S extends z.ZodType>(schema: S, text: string): Result<z.output<S>, Failure> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failure('NOT_JSON', `is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(json, { reportInput: true });
  return parsed.success ? ok(parsed.data) : failure('WRONG_SHAPE', `is not what telegrid writes there: ${describe(parsed.error.issues)}`);
}

/** A word as a shell takes it: ids and prefixes pass as they are, anything else in single quotes. */
const shellWord = (s: string): string => (/^[A-Za-z0-9:_.+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** What the owner can do about a damaged document of each kind, with the command that removes exactly it. */
function advice(p: StateProblem, db: number): string {
  const cli = `redis-cli -n ${db}`;
  const hdel = `${cli} HDEL ${shellWord(p.key)} ${shellWord(p.field ?? '')}`;
  const del = `${cli} DEL ${shellWord(p.key)}`;
  // A failure not pinned to one field: nothing narrower to delete than the whole hash.
  if ((p.kind === 'orders' || p.kind === 'grids') && p.field === undefined) return 'Fix the damaged entries of that hash.';
  switch (p.kind) {
    case 'orders':
      return (
        `Fix that value, or delete the field (${hdel}): ` +
        'an order still open on the exchange is then adopted or cancelled at start (ORPHAN_ORDERS).'
      );
    case 'grids':
      return (
        (p.atRestore ? 'If the grid trades a symbol MARKET_SYMBOLS no longer lists, add the symbol back. Otherwise fix' : 'Fix') +
        ` that value, or delete the field (${hdel}) to drop the grid: its orders stay tracked, but nothing re-arms them.`
      );
    case 'portfolio':
      return `Fix that value, or delete the key (${del}): positions, PnL and grid profit then start from zero.`;
    case 'futures':
      return (
        `Fix that value, or delete the key (${del}): positions are then taken from the venue at start, and realized PnL, ` +
        'fees and funding per perpetual start from zero.'
      );
    case 'ids':
      return (
        'Fix that value: every counter a whole number ≥ 0, at least the highest id in use. ' +
        'Do not delete the key: grid ids, and so client order ids, would be handed out a second time.'
      );
    case 'trading':
      return (
        `Fix that value, or delete the key (${del}) and trading starts ACTIVE; to keep it halted instead, write ` +
        `${cli} SET ${shellWord(p.key)} '{"version":1,"state":"HALTED","reason":"set by hand","since":0}'.`
      );
  }
}

const placeOf = (p: StatePlace): string => (p.field === undefined ? `Redis key ${p.key}` : `Redis hash ${p.key}, field ${p.field}`);

/**
 * The one refusal for a state that cannot be used: the first problem in full (where, what, what to do), the others by
 * place, and the way to start with no saved state at all. `STATE_CORRUPT` is the code whatever the kind.
 */
export function stateRefusal(
  problems: readonly StateProblem[],
  stateKeys: string,
  db: number,
): { readonly ok: false; readonly error: Failure } {
  const [first, ...rest] = problems as [StateProblem, ...StateProblem[]];
  const others = rest.slice(0, 5).map(placeOf);
  const also =
    others.length === 0
      ? ''
      : ` Also damaged: ${others.join('; ')}${rest.length > others.length ? `; and ${rest.length - others.length} more` : ''}.`;
  return failure(
    'STATE_CORRUPT',
    'the saved state cannot be used, so nothing was restored and nothing traded. ' +
      `${placeOf(first)} ${first.what}. ${advice(first, db)}${also} ` +
      `To start with no saved state instead, move every ${stateKeys} key aside (RENAME them).`,
  );
}
