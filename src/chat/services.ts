import type { Balance, Fixed, Result, Side, TradingState } from '../domain/index.js';
import type { FuturesPositionView, PositionSnapshot } from '../portfolio/index.js';
import type { GridParams, GridPreview, GridStartReport, GridSummary } from '../strategy/index.js';

/** What the chat can ask of the running bot; the composition root implements it over the engine's components. */
export interface TradingServices {
  readonly quoteAsset: string;
  readonly defaults: { readonly gridAmountQuote: Fixed };
  symbols(): readonly string[];
  /** A symbol's assets and display steps (tick, lot step), so chat lines show numbers as a trader reads them. */
  instrumentOf?(symbol: string): SymbolView | undefined;
  previewGrid(params: GridParams): Promise<Result<GridPreview>>;
  /**
   * Starts exactly the previewed ladder and says how many of its orders went out and why any were refused; fails if
   * the market moved so far that the preview no longer holds, or if not one of its orders could be placed.
   */
  startGrid(preview: GridPreview): Promise<Result<GridStartReport>>;
  stopGrid(gridId: string): Promise<Result<{ readonly gridId: string; readonly canceled: number }>>;
  grids(): readonly GridView[];
  positions(): readonly PositionView[];
  pnl(): PnlView;
  /** USD-M perpetuals (`BTCUSDT.P`) with a position or booked history; absent when the bot trades no futures. */
  futuresPositions?(): readonly FuturesPositionView[];
  /** The USD-M account's PnL split: grid profit, unrealized, realized, funding and fees; absent without futures. */
  futuresPnl?(): FuturesPnlView;
  /** `/funding`: a perpetual's coming rate and settlement, and what its position pays or receives then. */
  funding?(symbol: string): Promise<Result<FundingView>>;
  /** `/ta`: indicators on the symbol's closed candles at the interval, each with its one-line reading. */
  ta?(symbol: string, interval: TaInterval): Promise<Result<TaView>>;
  /** `/chart`: a PNG of a symbol's candles, or of a grid's (`G1`) with its ladder and fills, over the window. */
  chart?(target: string, window: ChartWindow): Promise<Result<ChartView>>;
  /** A /grid preview's "Chart": the proposed ladder over the symbol's last 24 h of hourly candles. */
  previewChart?(preview: GridPreview): Promise<Result<ChartView>>;
  /**
   * `/backtest`: the grid replayed over candles off the event loop (a worker thread), `progress` told candles done of
   * their total as it goes. One at a time per chat: a second is refused (BACKTEST_RUNNING) and nothing starts.
   */
  backtest?(chatId: string, ask: BacktestAsk, progress: (done: number, total: number) => void): Result<BacktestRun>;
  /** Ends the chat's running backtest (its `done` resolves CANCELLED); false when none runs. */
  cancelBacktest?(chatId: string): boolean;
  balances(): readonly Balance[];
  openOrders(): readonly OrderView[];
  status(): StatusView;
  /**
   * Halts trading (in force everywhere when it resolves) and answers at once with what it is doing; then drops queued
   * placements, stops every grid and cancels every open bot order (with `flatten`, then closes every position with a
   * market order), and tells the owner on its own: a receipt within the bound, and an update closing what it left open.
   */
  kill(options: { readonly flatten: boolean }): Promise<KillAck>;
  resume(): Result<{ readonly from: TradingState; readonly to: TradingState }>;
  /** The dead-man's switch: its bound, where the bound comes from, the bot's last heartbeat, the watchdog (issue 10). */
  deadman(): DeadmanView;
  /** Stores the bound (whole seconds, 0 = off) in Redis, where `telegrid watchdog` reads it; wins over the setting. */
  setDeadman(afterSeconds: number): Promise<Result<DeadmanView>>;
  /** What the bot has used of the exchange's limits and how much work waits: `/limits`. */
  limits(): Promise<LimitsView>;
}

/** The dead-man's switch as the bot sees it. */
export interface DeadmanView {
  /** Seconds without a heartbeat before `telegrid watchdog` cancels every bot order and halts; 0 = off. */
  readonly afterSeconds: number;
  /** The DEADMAN_AFTER_SECONDS setting, or a bound set with /deadman (stored in Redis; it wins over the setting). */
  readonly source: 'setting' | 'chat';
  /** The range /deadman takes: at least the lease (four heartbeats), at most a week. */
  readonly minSeconds: number;
  readonly maxSeconds: number;
  /** How long ago this bot's last heartbeat reached Redis; undefined before the first. */
  readonly lastHeartbeatAgeMs?: number;
  /** The watchdog that looked last, while it keeps looking (absent: no watchdog is watching). */
  readonly watchdog?: { readonly host: string; readonly pid: number; readonly seenAgoMs: number };
}

/** One of the exchange's rate limits (exchangeInfo) against what the bot used of it and what the exchange last said. */
export interface RateLimitUse {
  /** `weight:1m`, `orders:10s`, `orders:1d`: the kind of limit and its window. */
  readonly id: string;
  readonly kind: 'weight' | 'orders';
  readonly limit: number;
  readonly windowMs: number;
  /** Counted by the bot's shared budget in Redis (every process on the prefix), inside the window now. */
  readonly used: number;
  /** The exchange's own count (X-MBX-USED-WEIGHT-*, X-MBX-ORDER-COUNT-*) in its last answer, if it sent one. */
  readonly exchangeSays?: number;
}

export interface LimitsView {
  readonly rules: readonly RateLimitUse[];
  /** How long ago the exchange's counts in `rules` were sent. */
  readonly exchangeSaidAgoMs?: number;
  /** Requests held back after a 429/418, for this much longer; 0 when not paused. */
  readonly pausedForMs: number;
  /** 429/418 answers from the exchange since the bot started, and how long ago the last came. */
  readonly rateLimited: { readonly count: number; readonly lastAgoMs?: number };
  /** The order queues: jobs waiting (or delayed) and running, and how long the oldest waiting one has waited. */
  readonly queues: readonly { readonly name: string; readonly waiting: number; readonly active: number; readonly oldestAgeMs?: number }[];
  /** The Telegram outbox, when there is one: notes waiting per lane, the oldest's age, notes dropped, Telegram's last 429. */
  readonly outbox?: {
    readonly depth: Readonly<Record<string, number>>;
    readonly oldestAgeMs?: number;
    readonly dropped: number;
    readonly last429AgoMs?: number;
  };
  /** Set when a part could not be read (Redis not answering): what is missing and why. */
  readonly unavailable?: readonly string[];
}

/** A symbol's assets and the steps its numbers are shown to. */
export interface SymbolView {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly tickSize: Fixed;
  readonly stepSize: Fixed;
}

/**
 * One grid's profit as Binance users compare it (README "Grid profit, floating PnL, total PnL, APR"); all but grid
 * profit are absent for a grid started before the books kept them.
 */
export interface GridPnlView {
  readonly gridProfit: Fixed;
  readonly floatingPnl?: Fixed;
  readonly totalPnl?: Fixed;
  readonly aprPct?: Fixed;
  readonly investment?: Fixed;
  readonly startPrice?: Fixed;
  /** Base the grid manages now, and the price it is marked at. */
  readonly base?: Fixed;
  readonly mark?: Fixed;
  /** Its fees in a third asset no market valued when paid: not in the figures above, told beside them. */
  readonly unvaluedFees?: readonly { readonly asset: string; readonly amount: Fixed }[];
}

/** A grid as /grids shows it: the strategy's summary and the portfolio's figures for it. */
export type GridView = GridSummary & { readonly pnl?: GridPnlView };

/** A position as the portfolio reports it: quantity, average cost, last price, realized and unrealized PnL, fees. */
export type PositionView = PositionSnapshot;

export interface PnlView {
  readonly realized: Fixed;
  readonly unrealized: Fixed;
  readonly fees: Fixed;
  readonly today: Fixed;
  readonly grids: readonly ({ readonly gridId: string; readonly symbol: string; readonly roundTrips: number; readonly profit: Fixed } & {
    readonly pnl?: GridPnlView;
  })[];
  /** Fees per asset paid in, with their value in quote and any part no market could value. */
  readonly feesByAsset?: readonly {
    readonly asset: string;
    readonly amount: Fixed;
    readonly valueQuote: Fixed;
    readonly unvalued: Fixed;
  }[];
}

export type { FuturesPositionView };

/** The USD-M account's profit and loss, in its margin asset. */
export interface FuturesPnlView {
  /** Σ of the futures grids' matched round trips (sell − buy − their fees). */
  readonly gridProfit: Fixed;
  readonly unrealized: Fixed;
  /** Pre-fee realized PnL of every fill, round trips and the rest. */
  readonly realized: Fixed;
  /** Negative: paid. */
  readonly funding: Fixed;
  readonly fees: Fixed;
  readonly walletBalance: Fixed;
  readonly availableMargin: Fixed;
  readonly grids: readonly { readonly gridId: string; readonly symbol: string; readonly roundTrips: number; readonly profit: Fixed }[];
}

/** A perpetual's funding now. */
export interface FundingView {
  readonly symbol: string;
  /** The coming settlement's rate (positive: longs pay shorts). */
  readonly rate: Fixed;
  readonly nextFundingTime: number;
  readonly mark: Fixed;
  /** Signed position; zero when flat. */
  readonly position: Fixed;
  /** The position's wallet change at that rate and mark: −pa·mark·rate (negative: it pays). */
  readonly payment: Fixed;
  /** Funding booked on the symbol so far. */
  readonly paidSoFar: Fixed;
}

export interface OrderView {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: 'LIMIT' | 'MARKET';
  readonly price?: Fixed;
  readonly quantity: Fixed;
  readonly filledQty: Fixed;
  readonly status: string;
  readonly gridId?: string;
}

export interface StatusView {
  readonly mode: string;
  readonly venue: string;
  readonly tradingState: TradingState;
  readonly uptimeMs: number;
  readonly markets: readonly { readonly symbol: string; readonly lastPrice?: Fixed; readonly lastTickAgeMs?: number }[];
  readonly gridsRunning: number;
  readonly openOrders: number;
}

/** The kill switch's first answer: trading is HALTED, and what it is now cancelling. */
export interface KillAck {
  /** The bot's orders on the book as it knows them at the halt, each being cancelled. */
  readonly orders: number;
  /** The symbols those orders are on. */
  readonly symbols: number;
  /** The receipt follows within this long, whatever the exchange does. */
  readonly receiptWithinMs: number;
  /** Redis did not answer: the halt holds in this process, and the exchange is asked directly. */
  readonly redisDown: boolean;
  readonly flatten: boolean;
}

export interface KillOrderRef {
  readonly clientOrderId: string;
  readonly symbol: string;
}

/** What the kill switch did: every order it dealt with in exactly one of cancelled, filled, refused or unknown. */
export interface KillReceipt {
  readonly canceled: readonly KillOrderRef[];
  /** Filled before the cancel arrived: not live, and not a failure of the kill. */
  readonly filled: readonly KillOrderRef[];
  /** Cancels the exchange refused, with Binance's reason: the order is not known to have ended. */
  readonly refused: readonly (KillOrderRef & { readonly reason: string })[];
  /** Still being asked about when the receipt went out: an update follows once each is settled. */
  readonly unknown: readonly KillOrderRef[];
  /** Placements that never reached the exchange: removed from the queue, or refused by the halt. */
  readonly placementsDropped: number;
  readonly gridsStopped: readonly string[];
  /** Market orders sent by `/kill flatten`, one per position; empty otherwise. */
  readonly flattened: readonly {
    readonly symbol: string;
    readonly side: 'BUY' | 'SELL';
    readonly quantity: Fixed;
    readonly outcome: string;
  }[];
  /** `/kill flatten` whose market orders wait for the unknown cancels to settle: the update says what they did. */
  readonly flattenPending: boolean;
  readonly positions: readonly PositionView[];
  /** How the kill went where it matters to the owner (Redis did not answer; a symbol's orders could not be listed). */
  readonly notes: readonly string[];
}

export type TaInterval = '1h' | '4h' | '1d';

/** What /ta shows: the candles read and the indicators' readings, one line each. */
export interface TaView {
  readonly symbol: string;
  readonly interval: TaInterval;
  readonly candles: number;
  /** The last closed candle's close time and price. */
  readonly lastClose: number;
  readonly close: Fixed;
  readonly lines: readonly string[];
}

export type ChartWindow = '1h' | '6h' | '24h' | '7d';

/** A rendered chart, ready to send: the picture and its caption. */
export interface ChartView {
  readonly png: Uint8Array;
  readonly caption: string;
  readonly filename: string;
}

export type BacktestInterval = '1m' | '1h';

/** What `/backtest` asks: a grid as `/grid` parses it, over which candles. */
export interface BacktestAsk {
  readonly params: GridParams;
  readonly interval: BacktestInterval;
  /** UTC days (YYYY-MM-DD, both included) from the history folder; absent: the bot's own last 7 days of 1m candles. */
  readonly days?: { readonly from: string; readonly to: string };
}

/** A backtest under way. */
interface BacktestRun {
  /** The report, or why there is none (CANCELLED after cancelBacktest, NO_HISTORY naming the fetch command). */
  readonly done: Promise<Result<BacktestView>>;
  /** How long the chat waits for `done` before it answers with a progress line instead (2 s in the app). */
  readonly answerWithinMs: number;
}

/** A finished backtest as the chat shows it: the report's text, and its picture when one is drawn (as /chart's). */
export interface BacktestView {
  readonly text: string;
  readonly photo?: ChartView;
}
