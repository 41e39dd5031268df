import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Fixed,
  FundingRateSeries,
  type Instrument,
  type Result,
  catalogInstrument,
  failure,
  ok,
  parseFixed,
} from '../domain/index.js';
import { MessageBus } from '../engine/index.js';
import { FeedPump, type RealtimeTimers, type TickSource, systemTimers } from '../market/index.js';
import {
  MAX_UNIVERSE,
  SandboxHub,
  type SandboxServer,
  catalogSymbols,
  loadTape,
  startSandboxServer,
  syntheticTape,
  syntheticUniverse,
} from '../sandbox/index.js';
import { type Config, parseBalances, parseSymbols } from './config.js';

export const SANDBOX_USAGE = `usage: telegrid sandbox [--port 8181] [--data FILE.csv] [--speed N] [--symbols BTCUSDT,ETHUSDT]
                        [--universe 1000] [--trade-rate 10]
                        [--balances USDT=10000,BTC=0.5] [--seed 1] [--funding-rate 0.0001]
                        [--funding-data BTCUSDT-fundingRate-2025-05.csv,…]`;

export interface SandboxFlags {
  readonly port: number;
  readonly data?: string;
  readonly speed: number;
  readonly symbols: readonly string[];
  /** Many markets instead of --symbols: the catalog's pairs and generated ones, `syntheticUniverse` (issue 14). */
  readonly universe?: number;
  /** The synthetic tape's mean trades per second per symbol (default 10). */
  readonly tradeRate?: number;
  readonly balances: Config['PAPER_BALANCES'];
  readonly seed: number;
  /** USD-M: the constant funding rate of every symbol without a series (absent: the sandbox's default, 0.0001). */
  readonly fundingRate?: Fixed;
  /** USD-M: data.binance.vision fundingRate CSVs, named SYMBOL-fundingRate-…; one symbol's files join in the order given. */
  readonly fundingData?: readonly string[];
}

/** Reads the flags; a wrong one is named with what was expected, and nothing starts. */
export function parseSandboxFlags(argv: readonly string[], config: Config): Result<SandboxFlags> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        speed: { type: 'string' },
        symbols: { type: 'string' },
        universe: { type: 'string' },
        'trade-rate': { type: 'string' },
        balances: { type: 'string' },
        seed: { type: 'string' },
        'funding-rate': { type: 'string' },
        'funding-data': { type: 'string' },
      },
      strict: true,
    }).values as Record<string, string | undefined>;
  } catch (error) {
    return failure('BAD_FLAG', `${(error as Error).message}\n${SANDBOX_USAGE}`);
  }
  const problems: string[] = [];
  const port = Number(values.port ?? '8181');
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    problems.push(`--port expects a port number from 0 to 65535, got '${values.port}'`);
  const speed = Number(values.speed ?? '1');
  if (!(speed > 0) || !Number.isFinite(speed)) problems.push(`--speed expects a number above 0 (1 is live pace), got '${values.speed}'`);
  const seed = Number(values.seed ?? String(config.SYNTHETIC_SEED));
  if (!Number.isInteger(seed) || seed < 0) problems.push(`--seed expects a whole number, got '${values.seed}'`);
  const symbols = values.symbols === undefined ? ok(config.MARKET_SYMBOLS) : parseSymbols(values.symbols);
  if (!symbols.ok) problems.push(`--symbols ${symbols.error.message}`);
  const universe = values.universe === undefined ? undefined : Number(values.universe);
  if (universe !== undefined && !(Number.isInteger(universe) && universe >= 1 && universe <= MAX_UNIVERSE))
    problems.push(`--universe expects how many symbols to serve, 1 to ${MAX_UNIVERSE}, got '${values.universe}'`);
  if (universe !== undefined && (values.symbols !== undefined || values.data !== undefined))
    problems.push('--universe names its own symbols: give it without --symbols or --data');
  const tradeRate = values['trade-rate'] === undefined ? undefined : Number(values['trade-rate']);
  if (tradeRate !== undefined && !(tradeRate > 0 && Number.isFinite(tradeRate)))
    problems.push(`--trade-rate expects mean trades per second per symbol above 0, got '${values['trade-rate']}'`);
  const balances = values.balances === undefined ? ok(config.PAPER_BALANCES) : parseBalances(values.balances);
  if (!balances.ok) problems.push(`--balances ${balances.error.message}`);
  const rateText = values['funding-rate'];
  const fundingRate = rateText === undefined ? undefined : parseFixed(rateText);
  if (rateText !== undefined && fundingRate === undefined)
    problems.push(`--funding-rate expects a decimal of at most 8 places (0.0001 is 0.01 % per interval), got '${rateText}'`);
  const fundingData = values['funding-data']?.split(',').filter((f) => f !== '');
  if (problems.length > 0 || !symbols.ok || !balances.ok) return failure('BAD_FLAG', `${problems.join('\n')}\n${SANDBOX_USAGE}`);
  return ok({
    port,
    speed,
    seed,
    symbols: symbols.value,
    balances: balances.value,
    ...(values.data ? { data: values.data } : {}),
    ...(universe === undefined ? {} : { universe }),
    ...(tradeRate === undefined ? {} : { tradeRate }),
    ...(fundingRate === undefined ? {} : { fundingRate }),
    ...(fundingData === undefined || fundingData.length === 0 ? {} : { fundingData }),
  });
}

interface Tape {
  readonly source: TickSource;
  readonly instruments: readonly Instrument[];
}

function tapeFor(flags: SandboxFlags, startTime: number): Result<Tape> {
  if (flags.data !== undefined) {
    const tape = loadTape(flags.data);
    if (!tape.ok) return failure(tape.error.code, `--data: ${tape.error.message}`);
    const instruments: Instrument[] = [];
    for (const symbol of tape.value.symbols) {
      const inst = catalogInstrument(symbol);
      if (!inst) return failure('UNKNOWN_SYMBOL', `--data: the tape trades ${symbol}, whose filters telegrid does not know`);
      instruments.push(inst);
    }
    return ok({ source: tape.value, instruments });
  }
  const symbols = flags.universe === undefined ? catalogSymbols(flags.symbols) : ok(syntheticUniverse(flags.universe, flags.seed));
  if (!symbols.ok) return failure('UNKNOWN_SYMBOL', `--symbols: ${symbols.error.message}`);
  const rate = flags.tradeRate === undefined ? {} : { tradesPerSecond: flags.tradeRate };
  return ok({
    source: syntheticTape({ symbols: symbols.value, seed: flags.seed, startTime, ...rate }),
    instruments: symbols.value.map((s) => s.instrument),
  });
}

const FUNDING_FILE = /^([A-Z0-9]+)-fundingRate-/;

/** The --funding-data files as one series per symbol, the symbol read from each file's name; a bad file stops start-up. */
function fundingSeries(files: readonly string[]): Result<Record<string, FundingRateSeries>> {
  const bySymbol = new Map<string, { name: string; text: string }[]>();
  for (const file of files) {
    const symbol = FUNDING_FILE.exec(path.basename(file))?.[1];
    if (symbol === undefined) return failure('BAD_FLAG', `--funding-data: ${file} is not named SYMBOL-fundingRate-….csv`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      return failure('BAD_FLAG', `--funding-data: cannot read ${file}: ${(e as Error).message}`);
    }
    bySymbol.set(symbol, [...(bySymbol.get(symbol) ?? []), { name: file, text }]);
  }
  const out: Record<string, FundingRateSeries> = {};
  for (const [symbol, texts] of bySymbol) {
    const series = FundingRateSeries.fromFiles(texts);
    if (!series.ok) return failure('BAD_FLAG', `--funding-data: ${series.error.message}`);
    out[symbol] = series.value;
  }
  return ok(out);
}

export interface RunningSandbox {
  readonly server: SandboxServer;
  readonly hub: SandboxHub;
  /** Resolves when the tape ends or the sandbox is stopped. */
  readonly done: Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The Binance that exists on this machine: one account (SANDBOX_API_KEY / SANDBOX_API_SECRET) trading against a tape
 * replayed in wall time, served over Binance's REST, market-stream and WebSocket-API protocols.
 */
export async function runSandbox(
  flags: SandboxFlags,
  config: Config,
  now: () => number = Date.now,
  timers: RealtimeTimers = systemTimers,
): Promise<Result<RunningSandbox>> {
  const tape = tapeFor(flags, now());
  if (!tape.ok) return tape;
  const series = fundingSeries(flags.fundingData ?? []);
  if (!series.ok) return series;
  const unserved = Object.keys(series.value).filter((s) => !tape.value.instruments.some((i) => i.symbol === s));
  if (unserved.length > 0) return failure('BAD_FLAG', `--funding-data: ${unserved.join(', ')} is not among the symbols the sandbox serves`);
  const hub = new SandboxHub({
    instruments: tape.value.instruments,
    balances: flags.balances,
    futuresAccount: { walletBalance: config.PAPER_FUTURES_WALLET },
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    account: { apiKey: config.SANDBOX_API_KEY, apiSecret: config.SANDBOX_API_SECRET },
    now,
    futures: { fundingSeries: series.value, ...(flags.fundingRate === undefined ? {} : { fundingRate: flags.fundingRate }) },
  });
  const server = await startSandboxServer({ hub, port: flags.port });
  // The tape reaches the hub the way it reaches the engine elsewhere: through the feed pump, paced in wall time.
  const bus = new MessageBus();
  bus.on('TradeTicked', (m) => hub.trade(m.tick));
  const pump = new FeedPump(tape.value.source, bus);
  const done = pump.runRealtime({ speed: flags.speed, timers });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      pump.stop();
      await done.catch(() => undefined);
      await server.close();
    })());
  return ok({ server, hub, done, stop });
}
