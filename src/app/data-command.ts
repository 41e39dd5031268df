import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { type Result, failure, ok } from '../domain/index.js';
import {
  ARCHIVE_KINDS,
  type ArchiveFile,
  type ArchiveKind,
  type ArchiveRequest,
  type FetchReport,
  archiveFiles,
  checkArchiveRequest,
  fetchArchives,
  parseDayRange,
} from '../history/index.js';
import type { Config } from './config.js';

const EXAMPLE = 'e.g. telegrid data fetch BTCUSDT 1m 2024-01-01..2024-01-31';

export const DATA_USAGE = `usage: telegrid data fetch SYMBOL INTERVAL FROM..TO [--futures]
       telegrid data fetch SYMBOL FROM..TO --kind trades|aggTrades|fundingRate [--futures]
Downloads Binance's public archives (data.binance.vision, or HISTORY_BASE_URL) into HISTORY_DIR, each verified
against its .CHECKSUM; what is already there and verified is skipped. FROM..TO are UTC days, both included (one day:
just FROM). --futures: USD-M futures instead of spot (funding rates are futures only, a file a month).
${EXAMPLE}`;

/** Exit codes: every archive is here; some are missing, refused or failed; bad arguments or settings; no host. */
const EXIT = { complete: 0, incomplete: 1, usage: 2, unreachable: 3 } as const;

/** Reads `fetch SYMBOL [INTERVAL] FROM..TO [--futures] [--kind K]`; a wrong argument is named with an example. */
export function parseDataArgs(argv: readonly string[]): Result<ArchiveRequest> {
  const bad = (message: string) => failure('BAD_ARGUMENT', `${message}\n${DATA_USAGE}`);
  if (argv[0] !== 'fetch')
    return bad(argv[0] === undefined ? 'say what to do: fetch' : `unknown data command '${argv[0]}'; the one there is: fetch`);
  let parsed: { values: { futures?: boolean; kind?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      options: { futures: { type: 'boolean' }, kind: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    return bad((error as Error).message);
  }
  const kindText = parsed.values.kind ?? 'klines';
  if (!(ARCHIVE_KINDS as readonly string[]).includes(kindText)) return bad(`--kind expects ${ARCHIVE_KINDS.join(', ')}, got '${kindText}'`);
  const kind = kindText as ArchiveKind;
  const args = parsed.positionals;
  if (kind !== 'klines' && args.length === 3)
    return bad(
      `${kind} archives have no interval: drop '${args[1]}', e.g. telegrid data fetch BTCUSDT 2024-01-01..2024-01-31 --kind ${kind}`,
    );
  const expected = kind === 'klines' ? 3 : 2;
  if (args.length !== expected)
    return bad(
      kind === 'klines'
        ? `expected SYMBOL INTERVAL FROM..TO, got ${args.length} argument(s), ${EXAMPLE}`
        : `expected SYMBOL FROM..TO with --kind ${kind}, got ${args.length} argument(s), ` +
            `e.g. telegrid data fetch BTCUSDT 2024-01-01..2024-01-31 --kind ${kind}`,
    );
  const [symbol, interval, rangeText] = (kind === 'klines' ? args : [args[0], undefined, args[1]]) as [string, string?, string?];
  const days = parseDayRange(rangeText as string);
  if (!days.ok) return bad(`${days.error.message}, ${EXAMPLE}`);
  const request: ArchiveRequest = {
    symbol: symbol.toUpperCase(),
    // Funding rates exist for perpetuals only: asking for them means futures.
    market: parsed.values.futures === true || kind === 'fundingRate' ? 'futures' : 'spot',
    kind,
    days: days.value,
    ...(interval === undefined ? {} : { interval }),
  };
  const checked = checkArchiveRequest(request);
  return checked.ok ? ok(checked.value) : bad(`${checked.error.message}, ${EXAMPLE}`);
}

export interface DataIo {
  out(line: string): void;
  err(line: string): void;
}

/** Runs `telegrid data fetch` and says what happened, archive by archive; the exit code says whether all is here. */
export async function runDataFetch(request: ArchiveRequest, config: Config, io: DataIo): Promise<number> {
  const what = `${request.symbol} ${request.interval === undefined ? '' : `${request.interval} `}${request.kind}`;
  const market = request.market === 'spot' ? 'spot' : 'USD-M futures';
  io.out(`fetching ${what} (${market}), ${request.days.from}..${request.days.to}, from ${config.HISTORY_BASE_URL}`);
  const result = await fetchArchives(request, { baseUrl: config.HISTORY_BASE_URL, historyDir: config.HISTORY_DIR });
  if (!result.ok) {
    if (result.error.code !== 'HISTORY_UNREACHABLE') {
      io.err(`telegrid data fetch: ${result.error.message}`);
      return EXIT.usage;
    }
    io.err(`telegrid data fetch: ${result.error.message} Check the internet connection, or HISTORY_BASE_URL.`);
    return EXIT.unreachable;
  }
  for (const line of describeReport(result.value)) io.out(line);
  const folder = dirname((archiveFiles(request, config.HISTORY_DIR)[0] as ArchiveFile).localPath);
  io.out(`kept in ${folder}`);
  const { missing, refused, failed } = result.value;
  return missing.length + refused.length + failed.length === 0 ? EXIT.complete : EXIT.incomplete;
}

function describeReport(report: FetchReport): string[] {
  const lines = [
    `downloaded ${report.downloaded.length}, already there ${report.skipped.length}, missing ${report.missing.length}, ` +
      `refused ${report.refused.length}` +
      (report.failed.length > 0 ? `, failed ${report.failed.length}` : ''),
  ];
  if (report.missing.length > 0)
    lines.push(`missing (the host has no archive for it, 404): ${report.missing.map((f) => f.period).join(', ')}`);
  for (const f of report.refused) lines.push(`refused, nothing kept: ${f.period}: ${f.reason}`);
  for (const f of report.failed) lines.push(`failed, run again: ${f.period}: ${f.reason}`);
  return lines;
}
