import { type Fixed, type Result, type TradeTick, catalogInstrument, ok } from '../../domain/index.js';
import { csvLines } from './csv-fields.js';
import { type PathState, expandKline, parseKline } from './kline-csv.js';
import { ArrayTape, type TapeFailure, tapeFailure } from './tape-source.js';
import { type TradeColumns, VISION_AGG_TRADE_COLUMNS, VISION_TRADE_COLUMNS, parseTrade, tradeColumnsFromHeader } from './trade-csv.js';

export interface TapeCsvOptions {
  /**
   * The symbol of a file that does not name it (klines, data.binance.vision trades); for a recorded stream file,
   * keeps only that symbol's trades. Default: inferred from `fileName` (BTCUSDT-1m-2020-01-01.csv → BTCUSDT).
   */
  readonly symbol?: string;
  /** The file's name, for inferring the symbol. */
  readonly fileName?: string;
  /** Whole-tick trades interpolated inside each leg of a kline's path; default 0 (open, two extremes, close). */
  readonly pathSteps?: number;
  /** Tick size for kline interpolation; default the catalog's for the symbol. */
  readonly tickSize?: Fixed;
}

/** What the first line says the file is. */
type TapeLayout =
  | { readonly kind: 'klines'; readonly header: boolean }
  | { readonly kind: 'trades'; readonly header: boolean; readonly columns: TradeColumns };

const MAX_PATH_STEPS = 10_000;

/** Recognises a layout from the first line: a header names its columns, a bare row is known by its column count. */
function detectLayout(firstLine: string): TapeLayout | undefined {
  const fields = firstLine.split(',');
  const isHeader = /^\s*[A-Za-z_]/.test(fields[0] ?? '');
  if (isHeader) {
    if ((fields[0] ?? '').trim().toLowerCase() === 'open_time') return { kind: 'klines', header: true };
    const columns = tradeColumnsFromHeader(fields);
    return columns ? { kind: 'trades', header: true, columns } : undefined;
  }
  switch (fields.length) {
    case 12:
      return { kind: 'klines', header: false };
    case 7:
      return { kind: 'trades', header: false, columns: VISION_TRADE_COLUMNS };
    case 8:
      return { kind: 'trades', header: false, columns: VISION_AGG_TRADE_COLUMNS };
    default:
      return undefined;
  }
}

/** The symbol in a Binance dump's file name: `BTCUSDT-1m-2020-01-01.csv`, `TRXUSDT-trades-2025-03-04.csv`. */
function symbolFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const m = /^([A-Za-z0-9]{2,20})-/.exec(base);
  return m?.[1]?.toUpperCase();
}

/**
 * Parses a tape from CSV text, exactly (every price and quantity through parseFixed). Klines become four trades per
 * bar (see expandKline); trade files become one tick per row with µs times cut to ms. Rows come out in time order
 * (stable-sorted when a file is not).
 */
export function parseTapeCsv(text: string, options: TapeCsvOptions = {}): Result<ArrayTape, TapeFailure> {
  const lines = csvLines(text);
  const first = lines[0];
  if (first === undefined) return tapeFailure('TAPE_EMPTY', 'the tape file is empty');
  const layout = detectLayout(first);
  if (!layout) return tapeFailure('TAPE_UNKNOWN_LAYOUT', `unrecognised tape layout, first line: ${first.slice(0, 120)}`);
  const named = options.symbol?.toUpperCase() ?? (options.fileName === undefined ? undefined : symbolFromFileName(options.fileName));
  const start = layout.header ? 1 : 0;

  const ticks: TradeTick[] = [];
  if (layout.kind === 'klines') {
    if (named === undefined)
      return tapeFailure('TAPE_NO_SYMBOL', 'a kline file does not name its symbol: pass `symbol` or a Binance file name');
    const pathSteps = options.pathSteps ?? 0;
    if (!Number.isSafeInteger(pathSteps) || pathSteps < 0 || pathSteps > MAX_PATH_STEPS) {
      return tapeFailure('TAPE_BAD_LINE', `pathSteps must be an integer in 0..${MAX_PATH_STEPS}, got ${pathSteps}`);
    }
    const tickSize = options.tickSize ?? catalogInstrument(named)?.filters.priceFilter.tickSize ?? 0n;
    if (pathSteps > 0 && tickSize <= 0n) return tapeFailure('TAPE_NO_TICK_SIZE', `interpolating ${named} klines needs a tick size`);
    const state: PathState = { price: undefined, isBuyerMaker: false };
    for (let i = start; i < lines.length; i++) {
      const k = parseKline((lines[i] as string).split(','), i + 1);
      if (!k.ok) return k;
      expandKline(k.value, named, { pathSteps, tickSize }, state, ticks);
    }
  } else {
    const hasSymbolColumn = layout.columns.symbol !== undefined;
    if (!hasSymbolColumn && named === undefined) {
      return tapeFailure('TAPE_NO_SYMBOL', 'a trade file without a symbol column needs `symbol` or a Binance file name');
    }
    const fallback = hasSymbolColumn ? undefined : named;
    const only = hasSymbolColumn ? options.symbol?.toUpperCase() : undefined;
    for (let i = start; i < lines.length; i++) {
      const t = parseTrade((lines[i] as string).split(','), layout.columns, i + 1, fallback, only);
      if (!t.ok) return t;
      if (t.value) ticks.push(t.value);
    }
  }

  if (ticks.length === 0) return tapeFailure('TAPE_EMPTY', 'the tape file holds no trades');
  if (!isTimeOrdered(ticks)) ticks.sort((a, b) => a.time - b.time);
  return ok(new ArrayTape(symbolsOf(ticks), ticks));
}

function isTimeOrdered(ticks: readonly TradeTick[]): boolean {
  for (let i = 1; i < ticks.length; i++) if ((ticks[i] as TradeTick).time < (ticks[i - 1] as TradeTick).time) return false;
  return true;
}

function symbolsOf(ticks: readonly TradeTick[]): string[] {
  const seen = new Set<string>();
  for (const t of ticks) seen.add(t.symbol);
  return [...seen];
}
