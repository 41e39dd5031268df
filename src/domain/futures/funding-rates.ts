import { type Fixed, parseFixed } from '../fixed.js';
import { type Failure, type Result, err, ok } from '../result.js';

/** One settlement of a funding-rate series. */
export interface FundingRateRow {
  /** The settlement instant (ms): the row's time moved to the interval boundary it belongs to. */
  readonly fundingTime: number;
  readonly intervalHours: number;
  readonly rate: Fixed;
  /** The mark price Binance settled at, when the file carries it (the API's fundingRate rows do; data.binance.vision's CSVs do not). */
  readonly markPrice?: Fixed;
}

/** What a source answers for a settlement: the rate, or why it has none. */
export type FundingRateLookup =
  | { readonly kind: 'rate'; readonly rate: Fixed; readonly markPrice?: Fixed }
  | { readonly kind: 'missing'; readonly reason: 'beforeSeries' | 'gap' | 'afterSeries' };

/** Anything that says which rate applies at a settlement instant: a replayed series or a constant setting. */
interface FundingRateSource {
  rateAt(fundingTime: number): FundingRateLookup;
}

/** Binance's calc_time runs a few ms past the boundary (…400001); a row further than this from any boundary is refused. */
const BOUNDARY_TOLERANCE_MS = 60_000;
const HOUR_MS = 3_600_000;

const HEADER = ['calc_time', 'funding_interval_hours', 'last_funding_rate'] as const;
const MARK_COLUMN = 'mark_price';

function fail(file: string, line: number, what: string): { readonly ok: false; readonly error: Failure } {
  return err({ code: 'FUNDING_RATE_CSV', message: `${file} line ${line}: ${what}` });
}

/**
 * Parses data.binance.vision's monthly fundingRate CSV (`calc_time,funding_interval_hours,last_funding_rate`, ms times,
 * an optional `mark_price` column). Every malformed row is refused with the file and line named: a series with a
 * silently dropped row would settle the wrong rate, or none, at that instant.
 */
export function parseFundingRateCsv(text: string, file: string): Result<FundingRateRow[]> {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const columns = HEADER.map((name) => header.indexOf(name));
  if (columns.some((c) => c < 0)) return fail(file, 1, `header must name ${HEADER.join(',')}, got "${lines[0] ?? ''}"`);
  const [timeCol, hoursCol, rateCol] = columns as [number, number, number];
  const markCol = header.indexOf(MARK_COLUMN);

  const rows: FundingRateRow[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.trim() === '') continue;
    const line = i + 1;
    const fields = raw.split(',').map((f) => f.trim());
    if (fields.length !== header.length) return fail(file, line, `${fields.length} fields, the header has ${header.length}`);
    const time = fields[timeCol] as string;
    if (!/^\d{12,13}$/.test(time)) return fail(file, line, `calc_time "${time}" is not a time in ms`);
    const hoursText = fields[hoursCol] as string;
    const hours = Number(hoursText);
    if (!/^\d+$/.test(hoursText) || hours <= 0 || 24 % hours !== 0)
      return fail(file, line, `funding_interval_hours "${hoursText}" is not a whole number of hours dividing 24`);
    const rate = parseFixed(fields[rateCol] as string);
    if (rate === undefined) return fail(file, line, `last_funding_rate "${fields[rateCol]}" is not a decimal of at most 8 places`);
    let markPrice: Fixed | undefined;
    if (markCol >= 0) {
      markPrice = parseFixed(fields[markCol] as string);
      if (markPrice === undefined || markPrice <= 0n) return fail(file, line, `mark_price "${fields[markCol]}" is not a positive decimal`);
    }
    const step = hours * HOUR_MS;
    const calc = Number(time);
    const fundingTime = Math.round(calc / step) * step;
    if (Math.abs(calc - fundingTime) > BOUNDARY_TOLERANCE_MS)
      return fail(file, line, `calc_time ${time} is ${calc - fundingTime} ms from the nearest ${hours} h settlement`);
    const previous = rows[rows.length - 1];
    if (previous !== undefined && fundingTime <= previous.fundingTime)
      return fail(file, line, `settlement ${new Date(fundingTime).toISOString()} does not follow the previous row's`);
    rows.push(
      markPrice === undefined ? { fundingTime, intervalHours: hours, rate } : { fundingTime, intervalHours: hours, rate, markPrice },
    );
  }
  if (rows.length === 0) return fail(file, lines.length, 'no rows');
  return ok(rows);
}

/**
 * A replayed series: the rate at a settlement is the row whose settlement instant is exactly that one. Nothing is
 * invented: a settlement before the first row, in a hole between rows, or past the last row answers `missing` with
 * that reason, and the caller settles nothing there (FUNDING.md).
 */
export class FundingRateSeries implements FundingRateSource {
  private readonly byTime = new Map<number, FundingRateRow>();
  private readonly first: number;
  private readonly last: number;

  private constructor(private readonly all: readonly FundingRateRow[]) {
    for (const r of all) this.byTime.set(r.fundingTime, r);
    this.first = (all[0] as FundingRateRow).fundingTime;
    this.last = (all[all.length - 1] as FundingRateRow).fundingTime;
  }

  /** Every row, ascending by settlement: what a fundingRate history lists. */
  rows(): readonly FundingRateRow[] {
    return this.all;
  }

  /** Joins files (e.g. consecutive months) in the order given; each must start after the previous one ends. */
  static fromFiles(files: readonly { readonly name: string; readonly text: string }[]): Result<FundingRateSeries> {
    const all: FundingRateRow[] = [];
    for (const f of files) {
      const parsed = parseFundingRateCsv(f.text, f.name);
      if (!parsed.ok) return parsed;
      const before = all[all.length - 1];
      const head = parsed.value[0] as FundingRateRow;
      if (before !== undefined && head.fundingTime <= before.fundingTime)
        return fail(f.name, 2, `starts at ${new Date(head.fundingTime).toISOString()}, not after the previous file's last settlement`);
      all.push(...parsed.value);
    }
    if (all.length === 0) return err({ code: 'FUNDING_RATE_CSV', message: 'no funding-rate files given' });
    return ok(new FundingRateSeries(all));
  }

  rateAt(fundingTime: number): FundingRateLookup {
    const row = this.byTime.get(fundingTime);
    if (row !== undefined)
      return row.markPrice === undefined ? { kind: 'rate', rate: row.rate } : { kind: 'rate', rate: row.rate, markPrice: row.markPrice };
    if (fundingTime < this.first) return { kind: 'missing', reason: 'beforeSeries' };
    if (fundingTime > this.last) return { kind: 'missing', reason: 'afterSeries' };
    return { kind: 'missing', reason: 'gap' };
  }
}

/** The same rate at every settlement: the default when no series is replayed (a setting, e.g. Binance's 0.01 % base). */
export function constantFundingRate(rate: Fixed): FundingRateSource {
  return { rateAt: () => ({ kind: 'rate', rate }) };
}
