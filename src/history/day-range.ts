import { type Result, failure, ok } from '../domain/index.js';

/** An inclusive range of UTC days, each `YYYY-MM-DD`, from ≤ to. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A calendar day's midnight UTC in ms, or undefined when the text is not one (2024-02-30 is not). */
function dayStart(text: string): number | undefined {
  const m = DAY.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

/** `2024-01-01..2024-01-31`, or one day `2024-01-01`; both ends included, UTC days as data.binance.vision names them. */
export function parseDayRange(text: string): Result<DayRange> {
  const parts = text.split('..');
  if (parts.length > 2) return failure('BAD_RANGE', `'${text}' is not a day range: write FROM..TO, e.g. 2024-01-01..2024-01-31`);
  const [from, to = from] = parts as [string, string?];
  for (const day of [from, to]) {
    if (dayStart(day) === undefined)
      return failure(
        'BAD_RANGE',
        DAY.test(day)
          ? `${day} is not a calendar day`
          : `'${text}' is not a day range: write FROM..TO as UTC days, e.g. 2024-01-01..2024-01-31`,
      );
  }
  if (from > to) return failure('BAD_RANGE', `${from}..${to} ends before it starts`);
  return ok({ from, to });
}

/** Every day of the range, in order. */
export function daysIn(range: DayRange): string[] {
  const out: string[] = [];
  const end = dayStart(range.to) as number;
  for (let t = dayStart(range.from) as number; t <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** Every month (`YYYY-MM`) the range touches, in order: funding rates are published a month a file. */
export function monthsIn(range: DayRange): string[] {
  const out: string[] = [];
  for (const day of daysIn(range)) {
    const month = day.slice(0, 7);
    if (out[out.length - 1] !== month) out.push(month);
  }
  return out;
}
