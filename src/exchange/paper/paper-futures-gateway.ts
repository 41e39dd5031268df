import {
  type Candle,
  type Fixed,
  type FuturesAccount,
  type FuturesCommissionRates,
  type FuturesExecutionReport,
  type FuturesIncome,
  type FuturesMarginType,
  type FuturesOrderRequest,
  type FuturesPositionRisk,
  type FuturesPremiumIndex,
  type Instrument,
  type Result,
  type SymbolBrackets,
  type TradeTick,
  ZERO,
  err,
  fixed,
  isPerpetual,
  ok,
  perpetualSymbol,
  venueSymbol,
} from '../../domain/index.js';
import {
  AnnouncedFuturesVenue,
  type ContractTerms,
  FuturesEngine,
  type FuturesEngineOptions,
  type FuturesEvent,
  FuturesMarket,
  type FuturesMarketOptions,
  bracketsFor,
} from '../../sandbox/futures/index.js';
import type { VenueRejection } from '../../sandbox/index.js';
import type { FuturesGateway, FuturesIncomeQuery, FuturesVenueListener } from '../futures-gateway.js';
import type { GatewayFailure } from '../gateway.js';
import { tradeReports } from '../futures-trade-reports.js';
import { accountUpdate, futuresAccount, incomeRow, marginCall, positionRisk, restReport, streamReport } from './paper-futures-mapping.js';

interface PaperFuturesGatewayOptions {
  /**
   * The instruments whose USDT-margined perpetuals the venue lists, under Binance's names (`BTCUSDT`), as the sandbox
   * serves them: tick and step are the instrument's, MIN_NOTIONAL and PERCENT_PRICE the contract terms'.
   */
  readonly instruments: readonly Instrument[];
  /** Funding (a constant rate, default 0.0001 per 8 h, or a series per Binance name) and contract terms. */
  readonly market?: FuturesMarketOptions;
  /** The account: starting wallet (default 10,000 USDT), fees (default maker 0.0002, taker 0.0005), brackets… */
  readonly account?: FuturesEngineOptions;
  /** Any clock (the engine's Clock fits): the venue's time for every command and funding settlement. */
  readonly clock: { now(): number };
}

/** What the paper venue asks a mark stream for: the perpetual's mark and coming funding now. */
interface PaperMark {
  readonly markPrice: Fixed;
  readonly fundingRate: Fixed;
  readonly nextFundingTime: number;
}

/**
 * The in-process USD-M venue: the sandbox's FuturesEngine (its marks and funding from FuturesMarket over the trades it
 * is fed) behind the FuturesGateway port, the way the sandbox hub serves it but with no network. Every call settles at
 * once; before it the account catches up with the clock (funding, countdowns, liquidations due), as the hub does. The
 * listeners hear each event synchronously, in the engine's order (account update, then the fill), before the call
 * resolves; each is mapped as BinanceFuturesGateway maps the sandbox's frame of it (paper-futures-mapping.ts).
 */
export class PaperFuturesGateway implements FuturesGateway {
  readonly name = 'the in-process paper USD-M venue';
  private readonly market: FuturesMarket;
  private readonly engine: FuturesEngine;
  private readonly venue: AnnouncedFuturesVenue;
  private readonly clock: { now(): number };
  private readonly perpetuals: readonly Instrument[];
  private listeners: readonly FuturesVenueListener[] = [];

  constructor(options: PaperFuturesGatewayOptions) {
    this.clock = options.clock;
    const venueInstruments = options.instruments.map((i) => ({ ...i, symbol: venueSymbol(i.symbol) }));
    this.market = new FuturesMarket(venueInstruments, this.clock, options.market);
    this.engine = new FuturesEngine(venueInstruments, this.market, options.account ?? {}, this.clock.now());
    const announce = (events: readonly FuturesEvent[]): void => this.emit(events);
    this.venue = new AnnouncedFuturesVenue(
      this.engine,
      () => announce(this.engine.advance(this.clock.now())),
      announce,
      () => {},
    );
    this.perpetuals = venueInstruments.map((i) => perpetualOf(i, this.market.terms(i.symbol)));
  }

  /**
   * Feeds one trade of the perpetual's tape (`BTCUSDT.P`), in the hub's order: funding and anything else due settles
   * at the mark before this trade, then the mark moves, then resting orders match at the new mark.
   */
  onTrade(tick: TradeTick): void {
    const venueTick = { ...tick, symbol: venueSymbol(tick.symbol) };
    this.venue.advance(this.clock.now());
    this.market.onTrade(venueTick);
    this.venue.onTrade(venueTick);
  }

  /** The clock moved without a trade: settles funding, countdowns and liquidations due (the hub's advanceFutures). */
  advance(): void {
    this.venue.advance(this.clock.now());
  }

  /** The perpetual's mark and coming funding, as the markPrice stream reports them; undefined before its first trade. */
  mark(symbol: string): PaperMark | undefined {
    const venue = venueSymbol(symbol);
    const markPrice = this.market.markPrice(venue);
    if (markPrice === ZERO) return undefined;
    return { markPrice, fundingRate: this.market.comingFundingRate(venue), nextFundingTime: this.market.nextFundingTime(venue) };
  }

  /** The rate the venue settles (or settled) at funding time `fundingTime`; undefined where a series has no row. */
  fundingRateAt(symbol: string, fundingTime: number): Fixed | undefined {
    return this.market.fundingRateAt(venueSymbol(symbol), fundingTime);
  }

  /** The perpetuals as `instruments()` lists them, at once. */
  perpetualInstruments(): readonly Instrument[] {
    return this.perpetuals;
  }

  async instruments(): Promise<Result<readonly Instrument[], GatewayFailure>> {
    return ok(this.perpetuals);
  }

  async placeOrder(request: FuturesOrderRequest): Promise<Result<FuturesExecutionReport, GatewayFailure>> {
    const symbol = wireSymbol(request.symbol);
    if (!symbol.ok) return symbol;
    if (request.type === 'LIMIT' && request.price === undefined)
      return err({ kind: 'rejected', code: 'MISSING_PRICE', message: 'A LIMIT order needs a price.' });
    const r = this.venue.placeOrder(
      {
        symbol: symbol.value,
        side: request.side,
        type: request.type,
        quantity: request.quantity,
        positionSide: 'BOTH',
        clientOrderId: request.clientOrderId,
        ...(request.type === 'LIMIT' && { price: request.price, timeInForce: request.timeInForce ?? 'GTC' }),
        ...(request.reduceOnly === true && { reduceOnly: true }),
      },
      this.clock.now(),
    );
    return r.ok ? ok(restReport(r.value.order)) : rejected(r.error);
  }

  async cancelOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.cancelOrder(venue.value, { clientOrderId }, this.clock.now());
    return r.ok ? ok(restReport(r.value.order)) : rejected(r.error);
  }

  async cancelAll(symbol: string): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.cancelAllOpenOrders(venue.value, this.clock.now());
    return r.ok ? ok(undefined) : rejected(r.error);
  }

  async getOrder(symbol: string, clientOrderId: string): Promise<Result<FuturesExecutionReport | undefined, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.getOrder(venue.value, { clientOrderId });
    if (r.ok) return ok(restReport(r.value));
    // The port says "no such order" with undefined; /fapi says it with -2013.
    return r.error.binanceCode === -2013 ? ok(undefined) : rejected(r.error);
  }

  async openOrders(symbol?: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.openOrders(venue.value.symbol);
    return r.ok ? ok(r.value.map(restReport)) : rejected(r.error);
  }

  /** The order's trades, oldest first, each with the order's cumulative quantity and quote as of it (as userTrades). */
  async orderTrades(symbol: string, clientOrderId: string): Promise<Result<readonly FuturesExecutionReport[], GatewayFailure>> {
    const order = await this.getOrder(symbol, clientOrderId);
    if (!order.ok) return order;
    const known = order.value;
    if (known === undefined) return ok([]);
    const trades = this.venue.userTrades(venueSymbol(symbol));
    if (!trades.ok) return rejected(trades.error);
    const mine = trades.value.filter((t) => String(t.orderId) === known.exchangeOrderId);
    // The sandbox's userTrades quoteQty: price × qty, truncated (exact on real ticks and steps).
    return ok(
      tradeReports(
        known,
        mine.map((t) => ({ ...t, quote: fixed.mul(t.price, t.quantity, 'floor') })),
      ),
    );
  }

  async positions(symbol?: string): Promise<Result<readonly FuturesPositionRisk[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.positions(venue.value.symbol);
    if (!r.ok) return rejected(r.error);
    return ok(r.value.filter((p) => p.positionAmt !== ZERO).map(positionRisk));
  }

  async account(): Promise<Result<FuturesAccount, GatewayFailure>> {
    return ok(futuresAccount(this.venue.account()));
  }

  async setLeverage(symbol: string, leverage: number): Promise<Result<{ leverage: number; maxNotionalValue: Fixed }, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.setLeverage(venue.value, leverage, this.clock.now());
    return r.ok ? ok({ leverage: r.value.leverage, maxNotionalValue: r.value.maxNotionalValue }) : rejected(r.error);
  }

  async setMarginType(symbol: string, marginType: FuturesMarginType): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.setMarginType(venue.value, marginType, this.clock.now());
    // -4046 "No need to change margin type.": it already is what was asked.
    if (r.ok || r.error.binanceCode === -4046) return ok(undefined);
    return rejected(r.error);
  }

  async positionMode(): Promise<Result<'one-way', GatewayFailure>> {
    // The sandbox trades one-way mode only (its hedge-mode switch is always refused).
    return ok('one-way');
  }

  async brackets(symbol?: string): Promise<Result<readonly SymbolBrackets[], GatewayFailure>> {
    const venue = optionalSymbol(symbol);
    if (!venue.ok) return venue;
    const all = [...this.engine.brackets().values()].map((b) => ({ ...b, symbol: perpetualSymbol(b.symbol) }));
    return ok(symbol === undefined ? all : all.filter((b) => b.symbol === symbol));
  }

  async commissionRate(symbol: string): Promise<Result<FuturesCommissionRates, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.commissionRate(venue.value);
    return r.ok ? ok({ symbol, maker: r.value.maker, taker: r.value.taker }) : rejected(r.error);
  }

  /** Income rows in the query's window, oldest first, at most `limit` (Binance's default 100, at most 1000). */
  async income(query: FuturesIncomeQuery = {}): Promise<Result<readonly FuturesIncome[], GatewayFailure>> {
    const venue = optionalSymbol(query.symbol);
    if (!venue.ok) return venue;
    const { incomeType, startTime, endTime } = query;
    const limit = Math.min(query.limit ?? 100, 1000);
    const rows = this.venue
      .income()
      .filter(
        (r) =>
          (venue.value.symbol === undefined || r.symbol === venue.value.symbol) &&
          (incomeType === undefined || r.incomeType === incomeType) &&
          (startTime === undefined || r.time >= startTime) &&
          (endTime === undefined || r.time <= endTime),
      );
    return ok(rows.slice(0, limit).map(incomeRow));
  }

  async premiumIndex(symbol: string): Promise<Result<FuturesPremiumIndex, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    // As the sandbox's premiumIndex: no index apart from the one tape, so the index is the mark (a zero premium).
    const markPrice = this.market.markPrice(venue.value);
    return ok({
      symbol,
      markPrice,
      indexPrice: markPrice,
      fundingRate: this.market.comingFundingRate(venue.value),
      nextFundingTime: this.market.nextFundingTime(venue.value),
      time: this.clock.now(),
    });
  }

  async candles(symbol: string): Promise<Result<readonly Candle[], GatewayFailure>> {
    return err({ kind: 'rejected', code: 'NO_HISTORY', message: `${this.name} keeps no klines of ${symbol}` });
  }

  async fundingIntervals(): Promise<Result<ReadonlyMap<string, number>, GatewayFailure>> {
    return ok(new Map(this.perpetuals.map((i) => [i.symbol, this.market.intervalHours(venueSymbol(i.symbol))])));
  }

  async countdownCancelAll(symbol: string, countdownMs: number): Promise<Result<void, GatewayFailure>> {
    const venue = wireSymbol(symbol);
    if (!venue.ok) return venue;
    const r = this.venue.countdownCancelAll(venue.value, countdownMs, this.clock.now());
    return r.ok ? ok(undefined) : rejected(r.error);
  }

  subscribe(listener: FuturesVenueListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private emit(events: readonly FuturesEvent[]): void {
    // A listener that unsubscribes mid-delivery must not disturb this delivery: iterate the list as it was.
    const listeners = this.listeners;
    for (const e of events) {
      switch (e.type) {
        case 'order': {
          const report = streamReport(e);
          for (const l of listeners) l.onExecution(report);
          break;
        }
        case 'account': {
          const update = accountUpdate(e);
          for (const l of listeners) l.onAccountUpdate(update);
          break;
        }
        case 'marginCall': {
          const call = marginCall(e);
          for (const l of listeners) l.onMarginCall(call);
          break;
        }
        case 'leverage':
          // ACCOUNT_CONFIG_UPDATE: nothing the port carries (the adapter ignores it too).
          break;
        default: {
          const never: never = e;
          throw new Error(`unhandled futures event ${JSON.stringify(never)}`);
        }
      }
    }
  }
}

/**
 * The leverage brackets the paper venue gives a perpetual (`BTCUSDT.P`) by default (the sandbox's built-in tiers):
 * what a caller sizing a grid before the venue exists can count on.
 */
export function paperFuturesBrackets(symbol: string): SymbolBrackets | undefined {
  const venue = venueSymbol(symbol);
  const b = bracketsFor([venue]).get(venue);
  return b === undefined ? undefined : { ...b, symbol: perpetualSymbol(venue) };
}

/** The perpetual as the sandbox's exchangeInfo lists it and the adapter reads it (exchange-info-mapping.ts). */
function perpetualOf(inst: Instrument, terms: ContractTerms): Instrument {
  const f = inst.filters;
  const { multiplierUp: up, multiplierDown: down } = terms;
  return {
    symbol: perpetualSymbol(inst.symbol),
    baseAsset: inst.baseAsset,
    quoteAsset: inst.quoteAsset,
    filters: {
      priceFilter: f.priceFilter,
      lotSize: f.lotSize,
      marketLotSize: { minQty: f.lotSize.minQty, maxQty: f.marketLotSize?.maxQty ?? f.lotSize.maxQty, stepSize: f.lotSize.stepSize },
      minNotional: { minNotional: terms.minNotional, applyToMarket: true },
      percentPriceBySide: { bidMultiplierUp: up, bidMultiplierDown: down, askMultiplierUp: up, askMultiplierDown: down },
      maxNumOrders: f.maxNumOrders ?? 200,
    },
    market: 'usdm',
  };
}

/** The bot's name for a perpetual → Binance's, or the adapter's refusal of a spot name sent to the futures venue. */
function wireSymbol(symbol: string): Result<string, GatewayFailure> {
  if (isPerpetual(symbol)) return ok(venueSymbol(symbol));
  return err({ kind: 'rejected', code: 'NOT_PERPETUAL', message: `${symbol} is not a USD-M perpetual; the bot names them <SYMBOL>.P` });
}

function optionalSymbol(symbol: string | undefined): Result<{ symbol?: string }, GatewayFailure> {
  if (symbol === undefined) return ok({});
  const venue = wireSymbol(symbol);
  return venue.ok ? ok({ symbol: venue.value }) : venue;
}

/** Every refusal changes nothing (as the adapter classifies /fapi's), under the adapter's code `BINANCE_<code>`. */
function rejected(e: VenueRejection): { readonly ok: false; readonly error: GatewayFailure } {
  return { ok: false, error: { kind: 'rejected', code: `BINANCE_${e.binanceCode}`, message: e.message } };
}
