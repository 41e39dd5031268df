import { join } from 'node:path';
import { type Result, ok } from '../domain/index.js';
import { type DayRange, daysIn, monthsIn } from './day-range.js';
import { type HistoryFailure, historyFailure } from './history-failure.js';

export const ARCHIVE_KINDS = ['klines', 'trades', 'aggTrades', 'fundingRate'] as const;
export type ArchiveKind = (typeof ARCHIVE_KINDS)[number];

/** `spot`, or `futures`: Binance's USD-M futures (data.binance.vision's `futures/um`). */
type ArchiveMarket = 'spot' | 'futures';

/** The kline intervals data.binance.vision publishes a daily file for; `1s` on spot only. */
const KLINE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d'] as const;

export interface ArchiveRequest {
  readonly symbol: string;
  readonly market: ArchiveMarket;
  readonly kind: ArchiveKind;
  /** Klines only. */
  readonly interval?: string;
  readonly days: DayRange;
}

/** One archive of a request: where it is published and where it is kept. */
export interface ArchiveFile {
  /** The day (`YYYY-MM-DD`), or the month (`YYYY-MM`) of a monthly funding-rate file. */
  readonly period: string;
  /** The zip's path on the archive host, below `/data/`. */
  readonly remotePath: string;
  /** The zip on this machine: the archive host's layout below the history folder, so spot and futures never collide. */
  readonly localPath: string;
}

/** Checks a request against what the archive publishes; a refusal says what to write instead. */
export function checkArchiveRequest(request: ArchiveRequest): Result<ArchiveRequest, HistoryFailure> {
  const bad = (message: string) => historyFailure('HISTORY_BAD_REQUEST', message);
  if (!/^[A-Z0-9]{2,20}$/.test(request.symbol))
    return bad(`'${request.symbol}' is not a Binance symbol (capitals and digits, e.g. BTCUSDT)`);
  if (!(ARCHIVE_KINDS as readonly string[]).includes(request.kind))
    return bad(`'${request.kind}' is not an archive kind: ${ARCHIVE_KINDS.join(', ')}`);
  if (request.kind === 'fundingRate' && request.market !== 'futures') return bad('funding rates exist for USD-M futures only');
  if (request.kind !== 'klines') {
    if (request.interval !== undefined) return bad(`${request.kind} archives have no interval (got '${request.interval}')`);
    return ok(request);
  }
  const intervals = request.market === 'spot' ? KLINE_INTERVALS : KLINE_INTERVALS.filter((i) => i !== '1s');
  if (request.interval === undefined || !(intervals as readonly string[]).includes(request.interval))
    return bad(
      `'${request.interval ?? ''}' is not a kline interval data.binance.vision publishes for ${request.market}: ${intervals.join(', ')}`,
    );
  return ok(request);
}

/** `spot` or `futures/um`, as the archive's paths begin. */
function marketRoot(market: ArchiveMarket): string {
  return market === 'spot' ? 'spot' : 'futures/um';
}

/**
 * The archives a request covers, in time order: one a day, except funding rates (one a month, every month the days
 * touch). Names as data.binance.vision has them, e.g. `spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2024-01-01.zip`.
 */
export function archiveFiles(request: ArchiveRequest, historyDir: string): ArchiveFile[] {
  const { symbol, kind } = request;
  const root = marketRoot(request.market);
  const file = (period: string, folder: string, name: string): ArchiveFile => {
    const remotePath = `${folder}/${name}`;
    return { period, remotePath, localPath: join(historyDir, ...remotePath.split('/')) };
  };
  if (kind === 'fundingRate')
    return monthsIn(request.days).map((m) => file(m, `${root}/monthly/fundingRate/${symbol}`, `${symbol}-fundingRate-${m}.zip`));
  if (kind === 'klines') {
    const interval = request.interval as string;
    return daysIn(request.days).map((d) => file(d, `${root}/daily/klines/${symbol}/${interval}`, `${symbol}-${interval}-${d}.zip`));
  }
  return daysIn(request.days).map((d) => file(d, `${root}/daily/${kind}/${symbol}`, `${symbol}-${kind}-${d}.zip`));
}
