import { type Fixed, FundingRateSeries, type Instrument, TapeMarkPrice, type TradeTick, fx, nextFundingTime } from '../../domain/index.js';

/** A symbol's contract terms where USD-M's differ from spot's filters; tick and step always come from the instrument. */
export interface ContractTerms {
  /** MIN_NOTIONAL `notional`. */
  readonly minNotional: Fixed;
  /** PERCENT_PRICE, against the mark price. */
  readonly multiplierUp: Fixed;
  readonly multiplierDown: Fixed;
  readonly maxNumAlgoOrders: number;
}

/**
 * Defaults, each from PROTOCOLS-FUTURES A.2: MIN_NOTIONAL 5 is the docs' example (live BTCUSDT is 50, below);
 * PERCENT_PRICE 1.05/0.95 is live BTCUSDT (2026-09); MAX_NUM_ALGO_ORDERS 10 is the 2022 exchangeInfo file's
 * (../shared/data/futures/um/json/fapi-v1-exchangeInfo-2022-02-19.json; absent live since conditional orders moved to
 * the algo endpoints, kept because binance-api-node-era clients still read it).
 */
const DEFAULT_TERMS: ContractTerms = { minNotional: fx('5'), multiplierUp: fx('1.05'), multiplierDown: fx('0.95'), maxNumAlgoOrders: 10 };
const KNOWN_TERMS: Readonly<Record<string, Partial<ContractTerms>>> = {
  // Live BTCUSDT's MIN_NOTIONAL (PROTOCOLS-FUTURES A.2, 2026-09).
  BTCUSDT: { minNotional: fx('50') },
};

/** Binance's base interest component, 0.01 % per 8 h (PROTOCOLS-FUTURES D.6): the constant rate when none is configured. */
export const DEFAULT_FUNDING_RATE = fx('0.0001');
/** premiumIndex `interestRate`: the same base interest component, which Binance shows as 0.00010000 on every symbol. */
export const INTEREST_RATE = fx('0.0001');
/** fundingInfo's cap and floor: the values of Binance's docs example (PROTOCOLS-FUTURES A.1); the sandbox enforces no cap. */
export const FUNDING_RATE_CAP = fx('0.025');

export interface FuturesMarketOptions {
  /** The constant funding rate of every symbol without a series (default 0.0001, Binance's base 0.01 % per 8 h). */
  readonly fundingRate?: Fixed;
  /** Replayed funding-rate series per symbol (e.g. from data.binance.vision's fundingRate CSVs); wins over the constant. */
  readonly fundingSeries?: Readonly<Record<string, FundingRateSeries>>;
  /** Per-symbol overrides of the contract terms (MIN_NOTIONAL, PERCENT_PRICE, MAX_NUM_ALGO_ORDERS). */
  readonly contracts?: Readonly<Record<string, Partial<ContractTerms>>>;
}

/** A row of the fundingRate history. */
export interface FundingHistoryRow {
  readonly symbol: string;
  readonly fundingTime: number;
  readonly rate: Fixed;
  readonly markPrice?: Fixed;
}

/**
 * The USD-M view of the sandbox's tape: every served spot instrument is also a USDT-margined perpetual on the same
 * trades. Holds each symbol's mark (TapeMarkPrice, fed by the hub's trades), its funding-rate source and contract terms:
 * the one owner of the mark, so premiumIndex, the markPrice stream, positionRisk and funding read the same value.
 */
export class FuturesMarket {
  private readonly marks = new Map<string, TapeMarkPrice>();
  private readonly last = new Map<string, { price: Fixed; time: number }>();
  private readonly constantRate: Fixed;
  private readonly series: Readonly<Record<string, FundingRateSeries>>;
  private readonly contracts: Readonly<Record<string, Partial<ContractTerms>>>;

  constructor(
    instruments: readonly Instrument[],
    private readonly clock: { now(): number },
    options: FuturesMarketOptions = {},
  ) {
    for (const i of instruments) this.marks.set(i.symbol, new TapeMarkPrice(i.symbol, clock));
    this.constantRate = options.fundingRate ?? DEFAULT_FUNDING_RATE;
    this.series = options.fundingSeries ?? {};
    this.contracts = options.contracts ?? {};
  }

  readonly onTrade = (t: TradeTick): void => {
    this.marks.get(t.symbol)?.onTrade(t);
    const prev = this.last.get(t.symbol);
    if (prev === undefined || t.time >= prev.time) this.last.set(t.symbol, { price: t.price, time: t.time });
  };

  terms(symbol: string): ContractTerms {
    return { ...DEFAULT_TERMS, ...KNOWN_TERMS[symbol], ...this.contracts[symbol] };
  }

  /** The mark now; zero before the symbol's first trade (chosen: Binance has no such state to copy). */
  markPrice(symbol: string): Fixed {
    return this.marks.get(symbol)?.read()?.markPrice ?? 0n;
  }

  /** The last trade heard (ticker/price), or zero at the clock's time before any. */
  lastTrade(symbol: string): { price: Fixed; time: number } {
    return this.last.get(symbol) ?? { price: 0n, time: this.clock.now() };
  }

  /**
   * The symbol's funding interval: a series' row at or before now (its first row before the series starts); 8 h for a
   * constant rate, Binance's default.
   */
  intervalHours(symbol: string): number {
    return this.intervalHoursAt(symbol, this.clock.now());
  }

  /** The funding interval in force at `time` (the rule of intervalHours, at a given time rather than the clock's). */
  intervalHoursAt(symbol: string, time: number): number {
    const s = this.series[symbol];
    if (s === undefined) return 8;
    const rows = s.rows();
    const now = time;
    let hours = (rows[0] as { intervalHours: number }).intervalHours;
    for (const r of rows) {
      if (r.fundingTime > now) break;
      hours = r.intervalHours;
    }
    return hours;
  }

  nextFundingTime(symbol: string): number {
    return nextFundingTime(this.clock.now(), this.intervalHours(symbol));
  }

  /**
   * premiumIndex `lastFundingRate`: on Binance the rate the coming settlement will use (estimated until then). Here it
   * is exactly the rate the source gives for nextFundingTime, and zero where a series has none, because no funding is
   * settled there (FUNDING.md: no rate is invented).
   */
  comingFundingRate(symbol: string): Fixed {
    return this.fundingRateAt(symbol, this.nextFundingTime(symbol)) ?? 0n;
  }

  /** The rate settled at funding time `fundingTime`: the series' row there, or the constant; undefined where a series has none. */
  fundingRateAt(symbol: string, fundingTime: number): Fixed | undefined {
    const s = this.series[symbol];
    if (s === undefined) return this.constantRate;
    const r = s.rateAt(fundingTime);
    return r.kind === 'rate' ? r.rate : undefined;
  }

  /**
   * Settlements that have happened (at or before now) in the symbol's series, ascending. A constant rate has no history
   * to show: the sandbox lists only what a configured series says Binance settled.
   */
  fundingHistory(symbol: string): FundingHistoryRow[] {
    const s = this.series[symbol];
    if (s === undefined) return [];
    const now = this.clock.now();
    const out: FundingHistoryRow[] = [];
    for (const r of s.rows()) {
      if (r.fundingTime > now) break;
      const row = { symbol, fundingTime: r.fundingTime, rate: r.rate };
      out.push(r.markPrice === undefined ? row : { ...row, markPrice: r.markPrice });
    }
    return out;
  }
}
