import {
  type Check,
  DEFAULT_FUTURES_LEVERAGE,
  DEFAULT_FUTURES_MARGIN,
  directionMissing,
  formatPct,
  leverageWord,
  positiveDecimal,
  wholeNumber,
} from '../chat/index.js';
import { type Fixed, type Result, SPOT_CATALOG, catalogInstrument, failure, format, fx, ok, parseFixed } from '../domain/index.js';
import { type DayRange, checkArchiveRequest, parseDayRange } from '../history/index.js';
import { DEFAULT_FUNDING_RATE, DEFAULT_FUTURES_FEES, FUNDING_RATE_CAP } from '../sandbox/futures/index.js';
import { type FuturesGridTerms, type GridParams, MAX_GRID_LEVELS, MAX_SPACING_PCT } from '../strategy/index.js';

type Spacing = GridParams['spacing'];

const EXAMPLE = 'e.g. telegrid backtest BTCUSDT 10 0.5 from=2024-01-01 to=2024-01-31';
const FUTURES_GRID = 'telegrid backtest BTCUSDT 10 0.5 neutral x3 from=2025-05-05';
const FUTURES_EXAMPLE = `e.g. ${FUTURES_GRID}`;
const SWEEP_EXAMPLE = 'e.g. telegrid backtest BTCUSDT --sweep levels=5..20 spacing=0.2..1.0 from=2024-01-01 to=2024-01-31';
/** A sweep replays every grid one after another: 400 one-day runs take about a minute and a half, 400 months hours. */
const MAX_SWEEP_RUNS = 400;
/** 0.1 %: finer than that, neighbouring spacings trade the same fills on minute candles. */
const DEFAULT_SPACING_STEP = fx('0.1');
const KEYS = ['from', 'to', 'interval', 'file', 'levels', 'spacing', 'funding', 'funding-rate'] as const;
type Key = (typeof KEYS)[number];

const feePct = (rate: Fixed) => `${formatPct(rate * 100n)} %`;

const USAGE_FIRST = 'usage: telegrid backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [FUTURES] from=DAY [to=DAY] [interval=1m|1h|…]';
const FUTURES_DEFAULTS = `x${DEFAULT_FUTURES_LEVERAGE} and ${DEFAULT_FUTURES_MARGIN} margin`;
const FUTURES_FEES = `maker ${feePct(DEFAULT_FUTURES_FEES.maker)}, taker ${feePct(DEFAULT_FUTURES_FEES.taker)}`;

export const BACKTEST_USAGE = `${USAGE_FIRST}
       telegrid backtest SYMBOL LEVELS SPACING [AMOUNT] [geometric] [FUTURES] file=PATH [file=PATH …] [from=DAY] [to=DAY]
       telegrid backtest SYMBOL --sweep levels=A..B[:STEP] spacing=A..B[:STEP] [AMOUNT] [geometric] [FUTURES]
                         from=DAY … | file=PATH …
       FUTURES: long|short|neutral [xN] [cross|isolated] [funding=PATH …] [funding-rate=RATE]
Replays the grid /grid would start (LEVELS buys below and sells above the first price, SPACING % apart, AMOUNT of the
quote asset a level, GRID_DEFAULT_AMOUNT unless given) over klines: the UTC days from..to (to: from unless given) in
HISTORY_DIR, as telegrid data fetch keeps them (interval 1m unless given), or kline files (data.binance.vision's CSV
or zip; from= and to= then narrow them, each on its own). Fees are MAKER_FEE and TAKER_FEE, the risk limits the
RISK_* settings. Prints the report and writes a picture into CHART_DIR.
long, short or neutral replays a USD-M futures grid as /grid starts it (${FUTURES_DEFAULTS} unless
given) over the perpetual's klines (HISTORY_DIR's futures files, telegrid data fetch … --futures, or file=PATH), at
USD-M's regular tier fees, as the paper futures venue charges (${FUTURES_FEES}).
Funding settles at the rates of HISTORY_DIR's fundingRate files for those days (telegrid data fetch … --kind
fundingRate), else at a constant ${format(DEFAULT_FUNDING_RATE)} per 8 h; funding=PATH (a fundingRate CSV or zip, one a month) or
funding-rate=RATE (one rate at every settlement) overrides that.
--sweep replays every combination (levels by 1 and spacing by 0.1 unless :STEP says otherwise; at most
${MAX_SWEEP_RUNS}) and prints the 10 best by total return.
${EXAMPLE}
${FUTURES_EXAMPLE}
${SWEEP_EXAMPLE}`;

/** The grid or grids to replay. */
type BacktestGrids =
  | { readonly kind: 'one'; readonly levels: number; readonly spacingPct: Fixed }
  | { readonly kind: 'sweep'; readonly levels: readonly number[]; readonly spacings: readonly Fixed[]; readonly words: string };

export interface BacktestArgs {
  readonly symbol: string;
  readonly grids: BacktestGrids;
  /** Quote a level; the settings' GRID_DEFAULT_AMOUNT when absent. */
  readonly amount?: Fixed;
  readonly spacing: Spacing;
  /** UTC days: both set without files (to is from unless given); with files, either bound narrows them, or none. */
  readonly days: Partial<DayRange>;
  /** As Binance names it; the history folder's default is 1m, files say their own. */
  readonly interval?: string;
  readonly files: readonly string[];
  /** A USD-M grid's terms, as /grid reads them (absent: spot). */
  readonly futures?: FuturesGridTerms;
  /** A futures grid's funding given on the command line; absent: HISTORY_DIR's rate files, else the constant default. */
  readonly funding?: BacktestFundingArg;
}

/** funding=PATH … (rate files, joined in order) or funding-rate=RATE (one rate at every settlement). */
type BacktestFundingArg = { readonly kind: 'files'; readonly paths: readonly string[] } | { readonly kind: 'rate'; readonly rate: Fixed };

/** Reads the command's words; a wrong one is named, with what it expects and an example. */
export function parseBacktestArgs(argv: readonly string[]): Result<BacktestArgs> {
  let sweep = false;
  let mode: Spacing | undefined;
  const futures = new FuturesWords();
  const options: Partial<Record<Key, string>> = {};
  const files: string[] = [];
  const fundingFiles: string[] = [];
  const positionals: string[] = [];
  for (const word of argv) {
    const eq = word.indexOf('=');
    if (word === '--sweep') sweep = true;
    else if (word.startsWith('--')) return bad(`unknown option '${word}': the one there is --sweep`);
    else if (eq > 0) {
      const key = word.slice(0, eq).toLowerCase();
      const value = word.slice(eq + 1);
      if (!(KEYS as readonly string[]).includes(key))
        return bad(`unknown option '${word}': telegrid backtest takes ${KEYS.map((k) => `${k}=`).join(', ')}`);
      if (key === 'file') files.push(value);
      else if (key === 'funding') fundingFiles.push(value);
      else if (options[key as Key] !== undefined) return bad(`${key}= is given twice`);
      else options[key as Key] = value;
    } else if (word === 'geometric' || word === 'arithmetic') {
      if (mode !== undefined && mode !== word) return bad("choose either 'geometric' or 'arithmetic', not both");
      mode = word;
    } else if (!futures.read(word)) positionals.push(word);
    else if (futures.problem !== undefined) return bad(futures.problem, FUTURES_EXAMPLE);
  }

  const symbolText = positionals[0];
  if (symbolText === undefined) return bad('SYMBOL is missing: which pair to replay, like BTCUSDT');
  const symbol = symbolText.toUpperCase();
  if (catalogInstrument(symbol) === undefined)
    return bad(
      `SYMBOL: telegrid knows the filters of ${SPOT_CATALOG.map((e) => e.instrument.symbol).join(', ')} only, got '${symbolText}'`,
    );
  const grids = sweep ? sweepGrids(positionals, options) : oneGrid(positionals, options);
  if (!grids.ok) return grids;
  const amountText = positionals[sweep ? 1 : 3];
  const amount =
    amountText === undefined ? undefined : check(positiveDecimal('AMOUNT', 'an amount of the quote asset a level', '25')(amountText));
  if (amount !== undefined && !amount.ok) return amount;
  const terms = futures.terms(fundingFiles.length > 0 ? 'funding=' : options['funding-rate'] !== undefined ? 'funding-rate=' : undefined);
  if (!terms.ok) return terms;
  const funding = fundingArg(fundingFiles, options['funding-rate']);
  if (!funding.ok) return funding;
  const days = dayRange(options.from, options.to, files.length > 0);
  if (!days.ok) return days;
  const interval = options.interval;
  if (interval !== undefined) {
    const known = checkArchiveRequest({ symbol, market: 'spot', kind: 'klines', interval, days: { from: '2024-01-01', to: '2024-01-01' } });
    if (!known.ok) return bad(`interval=: ${known.error.message}`);
  }
  return ok({
    symbol,
    grids: grids.value,
    ...(amount === undefined ? {} : { amount: amount.value }),
    spacing: mode ?? 'arithmetic',
    days: days.value,
    ...(interval === undefined ? {} : { interval }),
    files,
    ...(terms.value === undefined ? {} : { futures: terms.value }),
    ...(funding.value === undefined ? {} : { funding: funding.value }),
  });
}

function bad(message: string, example = EXAMPLE) {
  return failure('BAD_ARGUMENT', `${message}\n${example}\n(telegrid backtest --help says it all)`);
}

function check<T>(c: Check<T>): Result<T> {
  return 'value' in c ? ok(c.value) : bad(c.problem);
}

const levelsCheck = wholeNumber('LEVELS', 1, MAX_GRID_LEVELS);
const spacingCheck = positiveDecimal('SPACING', 'a percentage', '0.5', MAX_SPACING_PCT);

function oneGrid(positionals: readonly string[], options: Partial<Record<Key, string>>): Result<BacktestGrids> {
  const [, levelsText, spacingText, , extra] = positionals;
  if (options.levels !== undefined || options.spacing !== undefined)
    return bad('levels= and spacing= are ranges for --sweep; one grid is SYMBOL LEVELS SPACING', SWEEP_EXAMPLE);
  if (extra !== undefined) return bad(`unexpected argument '${extra}': telegrid backtest takes SYMBOL LEVELS SPACING [AMOUNT]`);
  if (levelsText === undefined) return bad(`LEVELS is missing: how many levels each side, a whole number from 1 to ${MAX_GRID_LEVELS}`);
  if (spacingText === undefined) return bad('SPACING is missing: the percentage between levels, like 0.5');
  const levels = check(levelsCheck(levelsText));
  if (!levels.ok) return levels;
  const spacingPct = check(spacingCheck(spacingText));
  if (!spacingPct.ok) return spacingPct;
  return ok({ kind: 'one', levels: levels.value, spacingPct: spacingPct.value });
}

function sweepGrids(positionals: readonly string[], options: Partial<Record<Key, string>>): Result<BacktestGrids> {
  const bads = (message: string) => bad(message, SWEEP_EXAMPLE);
  if (positionals.length > 2)
    return bads(`with --sweep, levels= and spacing= give the grids: drop '${positionals.slice(1, 3).join(' ')}' (SYMBOL [AMOUNT] only)`);
  if (options.levels === undefined) return bads('levels= is missing: the range of levels --sweep tries, like levels=5..20');
  if (options.spacing === undefined) return bads('spacing= is missing: the range of spacings --sweep tries, like spacing=0.2..1.0');
  const levels = range(
    'levels',
    options.levels,
    wholeNumber('levels=', 1, MAX_GRID_LEVELS),
    1n,
    (a, b) => BigInt(b) - BigInt(a),
    (a, k) => a + Number(k),
  );
  if (!levels.ok) return levels;
  const spacings = range(
    'spacing',
    options.spacing,
    positiveDecimal('spacing=', 'a percentage', '0.5', MAX_SPACING_PCT),
    DEFAULT_SPACING_STEP,
    (a, b) => b - a,
    (a, k) => a + k,
  );
  if (!spacings.ok) return spacings;
  const runs = levels.value.values.length * spacings.value.values.length;
  if (runs > MAX_SWEEP_RUNS)
    return bads(
      `--sweep would replay ${runs} grids (${levels.value.values.length} levels × ${spacings.value.values.length} spacings); ` +
        `at most ${MAX_SWEEP_RUNS}: narrow levels= or spacing=, or give a larger :STEP, like spacing=0.2..1.0:0.2`,
    );
  return ok({
    kind: 'sweep',
    levels: levels.value.values,
    spacings: spacings.value.values,
    words: `levels ${levels.value.words}, spacing ${spacings.value.words} %`,
  });
}

/**
 * `A..B[:STEP]` or just `A`: every value from A by STEP up to B (B itself when a step lands on it). Steps are counted
 * exactly (`gap` and `add` work on whole numbers or Fixed), so 0.2..1.0:0.1 is nine spacings, never eight.
 */
function range<T extends number | Fixed>(
  key: 'levels' | 'spacing',
  text: string,
  checkOne: (text: string) => Check<T>,
  defaultStep: bigint,
  gap: (a: T, b: T) => bigint,
  add: (a: T, k: bigint) => T,
): Result<{ values: T[]; words: string }> {
  const example = key === 'levels' ? 'levels=5..20 or levels=5..20:5' : 'spacing=0.2..1.0 or spacing=0.2..1.0:0.1';
  const m = /^([^.:]+(?:\.[^.:]+)?)(?:\.\.([^:]+))?(?::(.+))?$/.exec(text);
  if (!m) return bad(`${key}= expects A..B or A..B:STEP, like ${example}, got '${text}'`, SWEEP_EXAMPLE);
  const [, fromText, toText = fromText, stepText] = m as unknown as [string, string, string?, string?];
  const from = checkOne(fromText);
  if (!('value' in from)) return bad(from.problem, SWEEP_EXAMPLE);
  const to = checkOne(toText);
  if (!('value' in to)) return bad(to.problem, SWEEP_EXAMPLE);
  if (gap(from.value, to.value) < 0n) return bad(`${key}=${text} ends below where it starts, like ${example}`, SWEEP_EXAMPLE);
  let step = defaultStep;
  if (stepText !== undefined) {
    const name = `${key}='s :STEP`;
    const parsed =
      key === 'levels' ? wholeNumber(name, 1, MAX_GRID_LEVELS)(stepText) : positiveDecimal(name, 'a percentage', '0.1')(stepText);
    if (!('value' in parsed)) return bad(parsed.problem, SWEEP_EXAMPLE);
    step = BigInt(parsed.value);
  }
  const values: T[] = [];
  const count = gap(from.value, to.value) / step + 1n;
  // A count past the cap is refused by the caller; this only keeps an absurd range from being listed.
  for (let k = 0n; k < count && k <= BigInt(MAX_SWEEP_RUNS); k++) values.push(add(from.value, k * step));
  const show = (v: T) => (typeof v === 'number' ? String(v) : format(v));
  const words = `${show(from.value)}..${show(to.value)}${count > 1n ? ` by ${key === 'levels' ? String(step) : format(step)}` : ''}`;
  return ok({ values, words });
}

/** `from=DAY [to=DAY]`: from is required without files (the history folder is read by day, to is from unless given). */
function dayRange(from: string | undefined, to: string | undefined, files: boolean): Result<Partial<DayRange>> {
  if (from === undefined && !files)
    return bad('from= is missing: the first UTC day to replay from HISTORY_DIR, like from=2024-01-01 (or give file=PATH)');
  const day = (key: string, text: string | undefined): Result<string | undefined> => {
    if (text === undefined) return ok(undefined);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return bad(`${key}= expects a UTC day YYYY-MM-DD, like ${key}=2024-01-31, got '${text}'`);
    const parsed = parseDayRange(text);
    return parsed.ok ? ok(text) : bad(`${key}=${text} is not a calendar day: write a UTC day YYYY-MM-DD, like ${key}=2024-01-31`);
  };
  const first = day('from', from);
  if (!first.ok) return first;
  const last = day('to', to ?? (files ? undefined : from));
  if (!last.ok) return last;
  if (first.value !== undefined && last.value !== undefined && last.value < first.value)
    return bad(`to=${last.value} is before from=${first.value}`);
  return ok({ ...(first.value === undefined ? {} : { from: first.value }), ...(last.value === undefined ? {} : { to: last.value }) });
}

/**
 * The futures words of /grid: long|short|neutral, xN, cross|isolated, each at most once, checked and defaulted as
 * /grid checks and defaults them. `read` takes a word that is one of them (setting `problem` when it is wrong).
 */
class FuturesWords {
  problem: string | undefined;
  private direction: FuturesGridTerms['mode'] | undefined;
  private leverage: { word: string; value: number } | undefined;
  private margin: FuturesGridTerms['margin'] | undefined;

  read(word: string): boolean {
    if (word === 'long' || word === 'short' || word === 'neutral') {
      if (this.direction !== undefined && this.direction !== word)
        this.problem = `choose one of long, short or neutral, not '${this.direction}' and '${word}'`;
      this.direction = word;
    } else if (word === 'cross' || word === 'isolated') {
      if (this.margin !== undefined && this.margin !== word) this.problem = "choose either 'cross' or 'isolated', not both";
      this.margin = word;
    } else if (/^x[\d.]+$/.test(word)) {
      const checked = leverageWord(word);
      if ('problem' in checked) this.problem = checked.problem;
      else if (this.leverage !== undefined && this.leverage.value !== checked.value)
        this.problem = `choose one leverage, not ${this.leverage.word} and ${word}`;
      else this.leverage = { word, value: checked.value };
    } else return false;
    return true;
  }

  /** The terms, or undefined for a spot grid; a futures word (or `fundingKey`) without a direction is refused. */
  terms(fundingKey: string | undefined): Result<FuturesGridTerms | undefined> {
    if (this.direction === undefined) {
      const word = this.leverage?.word ?? this.margin ?? fundingKey;
      return word === undefined ? ok(undefined) : bad(directionMissing(word, FUTURES_GRID));
    }
    return ok({
      mode: this.direction,
      leverage: this.leverage?.value ?? DEFAULT_FUTURES_LEVERAGE,
      margin: this.margin ?? DEFAULT_FUTURES_MARGIN,
    });
  }
}

/** funding=PATH … or funding-rate=RATE: a rate per funding interval, within Binance's cap either way. */
function fundingArg(paths: readonly string[], rateText: string | undefined): Result<BacktestFundingArg | undefined> {
  if (rateText === undefined) return ok(paths.length > 0 ? { kind: 'files', paths } : undefined);
  if (paths.length > 0) return bad('give funding=PATH (rates from a file) or funding-rate=RATE (one rate), not both', FUTURES_EXAMPLE);
  const rate = parseFixed(rateText);
  if (rate === undefined || rate > FUNDING_RATE_CAP || rate < -FUNDING_RATE_CAP)
    return bad(
      `funding-rate= expects a rate per funding interval from -${format(FUNDING_RATE_CAP)} to ${format(FUNDING_RATE_CAP)} ` +
        `(0.0001 is 0.01 % per 8 h), like funding-rate=0.0001, got '${rateText}'`,
      FUTURES_EXAMPLE,
    );
  return ok({ kind: 'rate', rate });
}
