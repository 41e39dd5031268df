import { z } from 'zod';
import { type Fixed, ZERO, format, parseFixed } from '../domain/index.js';
import { listOf } from './format.js';

/**
 * How a command's words map onto named arguments before zod sees them: plain words fill `positional` names in order,
 * bare words listed under `flags` set that flag's name, bare words matching one of `patterns` set that pattern's name
 * (like `x5` for a leverage), and `key=value` words set `options`.
 */
export interface Syntax {
  readonly positional?: readonly string[];
  readonly flags?: Readonly<Record<string, readonly string[]>>;
  readonly patterns?: Readonly<Record<string, RegExp>>;
  readonly options?: readonly string[];
}

/** Every argument as the owner typed it, by name; zod turns this into the command's typed arguments. */
export type RawArgs = Readonly<Record<string, string | undefined>>;

export type Bound = { readonly ok: true; readonly raw: RawArgs } | { readonly ok: false; readonly problems: readonly string[] };

/** Splits a message into its command name (lowercased, without a Telegram @botname suffix) and its words. */
export function tokenize(text: string): { readonly name: string; readonly tokens: readonly string[] } | undefined {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
  const head = words[0];
  if (head === undefined || !head.startsWith('/') || head.length < 2) return undefined;
  const name = head.slice(1).split('@')[0]?.toLowerCase() ?? '';
  return { name, tokens: words.slice(1) };
}

/** Assigns words to argument names; names the word that fits nowhere rather than guessing. */
export function bindArgs(command: string, tokens: readonly string[], syntax: Syntax = {}): Bound {
  const positional = syntax.positional ?? [];
  const flags = syntax.flags ?? {};
  const options = syntax.options ?? [];
  const patterns = Object.entries(syntax.patterns ?? {});
  const raw: Record<string, string | undefined> = {};
  const problems: string[] = [];
  let next = 0;
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq > 0) {
      const key = token.slice(0, eq).toLowerCase();
      if (!options.includes(key)) {
        const accepted =
          options.length === 0 ? `${command} takes no key=value options` : `${command} accepts ${listOf(options.map((o) => `${o}=…`))}`;
        problems.push(`unknown option '${token}' (${accepted}).`);
      } else if (raw[key] !== undefined) {
        problems.push(`option ${key} is given twice.`);
      } else {
        raw[key] = token.slice(eq + 1);
      }
      continue;
    }
    const word = token.toLowerCase();
    const flag = Object.entries(flags).find(([, values]) => values.includes(word));
    if (flag) {
      const [name, values] = flag;
      if (raw[name] !== undefined && raw[name] !== word)
        problems.push(`choose either ${listOf(values.map((v) => `'${v}'`)).replace(/ and /, ' or ')}, not both.`);
      else raw[name] = word;
      continue;
    }
    const pattern = patterns.find(([, re]) => re.test(word));
    if (pattern) {
      const [name] = pattern;
      if (raw[name] !== undefined) problems.push(`${name} is given twice ('${raw[name]}' and '${token}').`);
      else raw[name] = word;
      continue;
    }
    const slot = positional[next++];
    if (slot === undefined) {
      const takes = positional.length === 0 ? 'takes no plain arguments' : `takes at most ${positional.length} (${positional.join(' ')})`;
      problems.push(`unexpected argument '${token}'; ${command} ${takes}.`);
      continue;
    }
    raw[slot] = token;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, raw };
}

export type Check<T> = { readonly value: T } | { readonly problem: string };

/** Explains why a number did not parse when the reason is not obvious from the text itself. */
function decimalHint(text: string): string {
  if (/e/i.test(text)) return ' (write it out; no exponents)';
  if (/^[+-]?\d*\.\d{9,}$/.test(text.replace(/0+$/, ''))) return ' (more than 8 decimals)';
  if (text.includes(',')) return " (use '.' for decimals)";
  return '';
}

/** A required argument: missing is a problem named after it. */
export function required<T>(name: string, check: (text: string) => Check<T>) {
  return z
    .string()
    .optional()
    .transform((text, ctx): T => {
      const checked: Check<T> = text === undefined ? { problem: `${name} is missing.` } : check(text);
      if ('value' in checked) return checked.value;
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    });
}

/** An optional argument: missing is undefined, anything given must pass. */
export function optional<T>(name: string, check: (text: string) => Check<T>) {
  return z
    .string()
    .optional()
    .transform((text, ctx): T | undefined => {
      if (text === undefined) return undefined;
      const checked = check(text);
      if ('value' in checked) return checked.value;
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    });
}

export function wholeNumber(name: string, min: number, max: number): (text: string) => Check<number> {
  return (text) => {
    const n = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
    return n >= min && n <= max ? { value: n } : { problem: `${name} must be a whole number from ${min} to ${max}, got '${text}'.` };
  };
}

/** A positive decimal with at most 8 decimals; `describe` says what it is ("a price", "an amount of USDT"). */
export function positiveDecimal(name: string, describe: string, example: string, below?: Fixed): (text: string) => Check<Fixed> {
  return (text) => {
    const v = parseFixed(text);
    if (v !== undefined && v > ZERO && (below === undefined || v < below)) return { value: v };
    const range = below === undefined ? 'above 0' : `above 0 and below ${format(below)}`;
    return { problem: `${name} must be ${describe} ${range} with at most 8 decimals, like ${example}, got '${text}'${decimalHint(text)}.` };
  };
}

export function knownSymbol(name: string, known: () => readonly string[]): (text: string) => Check<string> {
  return (text) => {
    const symbol = text.toUpperCase();
    const list = known();
    if (list.includes(symbol)) return { value: symbol };
    const shown = list.length > 20 ? `${list.slice(0, 20).join(', ')}, … (${list.length} in all)` : list.join(', ');
    return { problem: `${name}: unknown symbol ${symbol}; known: ${list.length > 0 ? shown : 'none yet'}.` };
  };
}

/** The first line of a zod failure for each argument, already phrased for people by the checks above. */
export function problemsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return issue.code === 'custom' || path === '' ? issue.message : `${path}: ${issue.message}`;
  });
}

/** The arguments of a command that takes none; any word is already refused when words are bound to names. */
export const noArgs: z.ZodType<Record<string, never>, RawArgs> = z.object({}).transform((): Record<string, never> => ({}));
