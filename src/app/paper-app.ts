import type { Readable, Writable } from 'node:stream';
import { ConsoleTransport, type ConsoleCloseReason, Dispatcher, subscribeNotifications } from '../chat/index.js';
import { type Instrument, type Result, catalogInstrument, failure, ok } from '../domain/index.js';
import { type Clock, ManualClock, SequentialIds } from '../engine/index.js';
import type { RealtimeTimers, TickSource } from '../market/index.js';
import { catalogSymbols, loadTape, syntheticTape } from '../sandbox/index.js';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { type PaperEngine, buildPaperEngine } from './paper-engine.js';
import { createTradingServices } from './trading-services.js';

export interface PaperAppIO {
  readonly input: Readable;
  readonly output: Writable;
  /** Wall time, for the chat (confirmations expire in the owner's seconds, whatever the market's speed). */
  readonly clock: Clock;
  /** Market time for the engine; by default a clock the tape moves, so a replayed 2020 day is not "stale" in 2026. */
  readonly marketClock?: ManualClock;
  readonly log: Logger;
  /** Run the market in wall time (the app); tests and benchmarks leave it off and pump the tape themselves. */
  readonly realtime?: { readonly timers?: RealtimeTimers };
  /** Readline's terminal mode; defaults to whether output is a TTY. */
  readonly terminal?: boolean;
}

export interface PaperApp {
  readonly engine: PaperEngine;
  readonly console: ConsoleTransport;
  /** Resolves when the owner leaves the chat (end of input, /quit, Ctrl-C). */
  readonly closed: Promise<ConsoleCloseReason>;
  /** Stops the market, lets in-flight venue calls answer, and closes the chat. */
  shutdown(): Promise<void>;
}

interface Market {
  readonly source: TickSource;
  readonly instruments: readonly Instrument[];
}

/** Picks paper mode's market from MARKET_DATA: the seeded synthetic walk, or a recorded Binance CSV replayed. */
export function paperMarket(config: Config, startTime: number): Result<Market> {
  const spec = config.MARKET_DATA;
  if (spec === 'synthetic') {
    const symbols = catalogSymbols(config.MARKET_SYMBOLS);
    if (!symbols.ok) return failure('UNKNOWN_SYMBOL', `MARKET_SYMBOLS: ${symbols.error.message}`);
    const source = syntheticTape({ symbols: symbols.value, seed: config.SYNTHETIC_SEED, startTime });
    return ok({ source, instruments: symbols.value.map((s) => s.instrument) });
  }
  if (spec.startsWith('replay:')) {
    const tape = loadTape(spec.slice('replay:'.length));
    if (!tape.ok) return failure(tape.error.code, `MARKET_DATA: ${tape.error.message}`);
    const instruments: Instrument[] = [];
    for (const symbol of tape.value.symbols) {
      const inst = catalogInstrument(symbol);
      if (!inst) return failure('UNKNOWN_SYMBOL', `MARKET_DATA: the tape trades ${symbol}, whose filters telegrid does not know`);
      instruments.push(inst);
    }
    return ok({ source: tape.value, instruments });
  }
  return failure('NOT_AVAILABLE', 'MARKET_DATA=binance needs the Binance market-data adapter, which is not in this release; use synthetic or replay:<csv>');
}

/** Paper mode with the terminal as the chat: the whole bot in one process, no other setting needed. */
export async function startPaperApp(config: Config, io: PaperAppIO): Promise<Result<PaperApp>> {
  const startedAt = io.clock.now();
  const market = paperMarket(config, startedAt);
  if (!market.ok) return market;

  const engine = buildPaperEngine({
    instruments: market.value.instruments,
    balances: config.PAPER_BALANCES,
    fees: { maker: config.MAKER_FEE, taker: config.TAKER_FEE },
    limits: {
      maxOrderNotional: config.RISK_MAX_ORDER_NOTIONAL,
      maxOpenOrdersPerSymbol: config.RISK_MAX_OPEN_ORDERS_PER_SYMBOL,
      maxOpenOrdersTotal: config.RISK_MAX_OPEN_ORDERS_TOTAL,
      maxPositionNotional: config.RISK_MAX_POSITION_NOTIONAL,
      priceBandPct: config.RISK_PRICE_BAND_PCT,
      staleAfterMs: config.RISK_STALE_AFTER_SECONDS * 1000,
      maxDailyLoss: config.RISK_MAX_DAILY_LOSS,
    },
    source: market.value.source,
    // Starts at 0 and follows the tape: the pump moves it to each trade's time.
    clock: io.marketClock ?? new ManualClock(0),
    ids: new SequentialIds(),
    log: io.log,
  });
  await engine.start();

  const services = createTradingServices(engine, { mode: config.TRADING_MODE, gridAmountQuote: config.GRID_DEFAULT_AMOUNT, wallClock: io.clock, startedAt });
  const dispatcher = new Dispatcher({
    services,
    clock: io.clock,
    onError: (error, where) => io.log.error({ err: error, chatId: where.chatId }, 'command failed'),
  });
  const chat = new ConsoleTransport({ session: dispatcher, input: io.input, output: io.output, terminal: io.terminal });
  chat.notify(`telegrid · ${config.TRADING_MODE} · ${market.value.instruments.map((i) => i.symbol).join(', ')} · send /help`);
  const unsubscribe = subscribeNotifications(engine.kernel.bus, (text) => chat.notify(text));

  const running = io.realtime
    ? engine.pump.runRealtime({ speed: Number(config.MARKET_SPEED) / 1e8, timers: io.realtime.timers }).catch((error: unknown) => {
        io.log.error({ err: error }, 'market feed stopped on an error');
        return 'stopped' as const;
      })
    : undefined;

  let shut: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (shut ??= (async () => {
      engine.pump.stop();
      await running;
      await engine.stop();
      unsubscribe();
      chat.close();
      await chat.closed;
    })());

  return ok({ engine, console: chat, closed: chat.closed, shutdown });
}
