import type { Fixed, OrderIntent } from '../domain/index.js';
import { ZERO, isPerpetual, isTerminal, orderMargin } from '../domain/index.js';
import type { BusPort, Clock, Component, ComponentContext } from '../engine/index.js';
import { ApprovalLedger, type LedgerEvent } from './approval-ledger.js';
import { checkLeverage, checkLiquidationDistance, checkMarginAvailable } from './futures-checks.js';
import {
  type Denial,
  checkBalance,
  checkDailyLoss,
  checkFilters,
  checkMarketData,
  checkOpenOrders,
  checkOrderNotional,
  checkPositionNotional,
  checkPriceBand,
  checkTradingState,
  noMarketDataDenial,
  orderNotional,
  requiredFunds,
  unknownSymbolDenial,
} from './risk-checks.js';
import type { RiskLimits, RiskView } from './risk-limits.js';
import type { TradingStateReader } from './trading-state.js';

/** The approval ledger's key for USD-M margin, apart from spot's balance of the same asset. */
function futuresMarginKey(quoteAsset: string): string {
  return `${quoteAsset} (USD-M margin)`;
}

interface Funds {
  readonly asset: string;
  readonly amount: Fixed;
}

export interface RiskGateDeps {
  readonly view: RiskView;
  readonly limits: RiskLimits;
  readonly state: TradingStateReader;
}

/**
 * Answers every `SubmitOrder` with `PlaceOrder` or `OrderDenied`, never by throwing. Checks run cheapest and most
 * fundamental first: trading state, symbol, market data (an order cannot be judged without a price), Binance filters,
 * order notional, open orders, position notional, price band, balance, daily loss; the first that fails names the
 * denial. Cancels never come here: they go straight to execution in every trading state.
 */
export class RiskGate implements Component {
  readonly name = 'risk-gate';
  private readonly ledger = new ApprovalLedger();
  /** Symbols whose live feed reported an outage, with why, until it reports them back. */
  private readonly staleFeeds = new Map<string, string>();
  private readonly view: RiskView;
  private readonly limits: RiskLimits;
  private readonly state: TradingStateReader;
  private clock: Clock = { now: () => 0 };
  private bus: BusPort | undefined;

  constructor(deps: RiskGateDeps) {
    this.view = deps.view;
    this.limits = deps.limits;
    this.state = deps.state;
  }

  attach(ctx: ComponentContext): void {
    const bus = ctx.bus;
    this.bus = bus;
    this.clock = ctx.clock;
    bus.handle('SubmitOrder', (m) => this.submit(m.intent));
    // The feed knows first when a stream drops or dies; no new order trusts a price it cannot see. A stream that is
    // only quiet is judged per symbol by checkMarketData on RISK_STALE_AFTER_SECONDS (0 = off), not by the feed's own
    // quiet limit: a second threshold here would deny when the owner's setting says not to (issue 9).
    bus.on('MarketDataStale', (m) => {
      if (m.cause === 'quiet') return;
      for (const s of m.symbols) this.staleFeeds.set(s, m.reason);
    });
    bus.on('MarketDataResumed', (m) => {
      for (const s of m.symbols) this.staleFeeds.delete(s);
    });
    // An order sent without this gate's approval (an orphan adopted at start) counts from the moment it is tracked.
    bus.on('OrderSent', (m) => this.ledger.adopt(m.clientOrderId, m.symbol, m.intent.type));
    const onOrder = (e: LedgerEvent): void => this.ledger.apply(e);
    bus.on('OrderAccepted', onOrder);
    bus.on('OrderFilled', onOrder);
    bus.on('OrderCanceled', onOrder);
    bus.on('OrderRejected', onOrder);
    bus.on('OrderExpired', onOrder);
    bus.on('OrderSubmissionFailed', onOrder);
  }

  /**
   * Seeds the open-order count from the tracker when the host starts: the orders a restart restored that may still rest
   * on the venue (unknown outcomes included, as the ledger keeps counting those), so the limits hold from the first intent.
   * Nothing is reserved: the venue locked their funds when it accepted them, and its balances say so.
   */
  async start(): Promise<void> {
    for (const o of this.view.openOrders?.() ?? []) {
      if (!isTerminal(o.status)) this.ledger.adopt(o.intent.clientOrderId, o.intent.symbol, o.intent.type);
    }
  }

  /** Orders approved and not yet done, on one symbol or in total. */
  openOrders(symbol?: string): number {
    return symbol === undefined ? this.ledger.openTotal() : this.ledger.openOn(symbol);
  }

  /** Funds of `asset` approved orders will need and the venue has not yet locked. */
  reserved(asset: string): Fixed {
    return this.ledger.reserved(asset);
  }

  /** Runs every check without approving anything: the denial the intent would get, or undefined. */
  evaluate(intent: OrderIntent): Denial | undefined {
    const r = this.judge(intent);
    return 'code' in r ? r : undefined;
  }

  /** The denial, or on approval the funds the order will need (for the ledger). */
  private judge(intent: OrderIntent): Denial | Funds {
    const L = this.limits;
    // Binance accepts a reused client id once the first order is done, so a repeat here would be a second order.
    const id = intent.clientOrderId;
    if (this.ledger.has(id) || this.view.knowsOrder?.(id)) {
      return { code: 'DUPLICATE_ORDER', message: `order ${id} was already sent; it is not sent twice`, numbers: { clientOrderId: id } };
    }
    const stateDenial = checkTradingState(this.state.state(), intent);
    if (stateDenial) return stateDenial;

    const inst = this.view.instrument(intent.symbol);
    if (inst === undefined) return unknownSymbolDenial(intent.symbol);

    const feedProblem = this.staleFeeds.get(intent.symbol);
    if (feedProblem !== undefined) {
      return {
        code: 'STALE_MARKET_DATA',
        message: `market data for ${intent.symbol} is stale (${feedProblem}); waiting for trades to flow again`,
        numbers: {},
      };
    }

    const band = L.priceBandPct ?? ZERO;
    const last = this.view.lastTrade(intent.symbol);
    const needsPrice = intent.type === 'MARKET' || band > ZERO;
    const dataDenial = checkMarketData(intent.symbol, last, this.clock.now(), L.staleAfterMs ?? 0, needsPrice);
    if (dataDenial) return dataDenial;

    const openOnSymbol = this.ledger.openOn(intent.symbol);
    const filterDenial = checkFilters(inst, intent, last?.price, openOnSymbol);
    // Binance's MIN_NOTIONAL does not apply to a futures reduce-only order ("unless you choose reduce only", -4164).
    const exempt = filterDenial?.numbers['filter'] === 'MIN_NOTIONAL' && intent.reduceOnly === true && isPerpetual(intent.symbol);
    if (filterDenial && !exempt) return filterDenial;

    // After the filters a LIMIT order has a price, and after the market-data check a MARKET order has a last trade.
    const price = intent.type === 'MARKET' ? last?.price : intent.price;
    if (price === undefined) return noMarketDataDenial(intent.symbol);

    const maxNotional = L.maxOrderNotional ?? ZERO;
    // A spot buy needs its notional in quote too (requiredFunds): worked out once for both.
    let notional: Fixed | undefined;
    if (maxNotional > ZERO) {
      notional = orderNotional(price, intent.quantity);
      const d = checkOrderNotional(notional, maxNotional, inst.quoteAsset);
      if (d) return d;
    }

    const openDenial = checkOpenOrders(
      intent.symbol,
      openOnSymbol,
      this.ledger.openTotal(),
      L.maxOpenOrdersPerSymbol ?? 0,
      L.maxOpenOrdersTotal ?? 0,
    );
    if (openDenial) return openDenial;

    const maxPosition = L.maxPositionNotional ?? ZERO;
    if (maxPosition > ZERO) {
      const qty = this.view.positionQty(intent.symbol);
      const d = checkPositionNotional(intent.symbol, qty, intent.side, intent.quantity, price, maxPosition, inst.quoteAsset);
      if (d) return d;
    }

    if (intent.type === 'LIMIT' && last !== undefined) {
      const d = checkPriceBand(price, last.price, band);
      if (d) return d;
    }

    const perpetual = isPerpetual(intent.symbol);
    const funds = perpetual
      ? this.judgeMargin(intent, price, inst.quoteAsset)
      : notional !== undefined && intent.side === 'BUY'
        ? { asset: inst.quoteAsset, amount: notional }
        : requiredFunds(inst, intent.side, intent.quantity, price);
    if ('code' in funds) return funds;
    if (!perpetual) {
      const free = this.view.freeBalance(funds.asset);
      const balanceDenial = checkBalance(funds.asset, funds.amount, free, this.ledger.reserved(funds.asset));
      if (balanceDenial) return balanceDenial;
    }

    const maxLoss = L.maxDailyLoss ?? ZERO;
    if (maxLoss > ZERO) {
      const d = checkDailyLoss(this.view.dailyPnl(), maxLoss);
      if (d) return d;
    }
    return funds;
  }

  /**
   * A perpetual's order is judged on the USD-M account instead of spot balances: the symbol's leverage within the
   * limit, the order's margin (domain `orderMargin`: its opening part at its price over the leverage, plus the open
   * loss against mark) within what is available less what approved orders will take, and the liquidation price it
   * leaves at least `minLiquidationDistancePct` away. A reduce-only order needs no margin and passes the distance
   * check by construction. The margin is reserved in the ledger under a key of its own, apart from spot's quote asset.
   */
  private judgeMargin(intent: OrderIntent, price: Fixed, quoteAsset: string): Denial | Funds {
    const f = this.view.futures;
    if (f === undefined) return unknownSymbolDenial(intent.symbol);
    const L = this.limits;
    const leverage = f.leverage(intent.symbol);
    const levDenial = checkLeverage(intent.symbol, leverage, L.maxLeverage ?? 0);
    if (levDenial) return levDenial;
    const position = f.position(intent.symbol);
    const asset = futuresMarginKey(quoteAsset);
    if (intent.reduceOnly === true) return { asset, amount: ZERO };
    const margin = orderMargin(position.amount, intent.side, intent.quantity, price, f.mark(intent.symbol) ?? price, leverage);
    const marginDenial = checkMarginAvailable(margin, f.availableMargin(), this.ledger.reserved(asset), quoteAsset);
    if (marginDenial) return marginDenial;
    const brackets = f.brackets(intent.symbol);
    const minDistance = L.minLiquidationDistancePct ?? ZERO;
    if (brackets !== undefined && minDistance > ZERO) {
      const d = checkLiquidationDistance({
        symbol: intent.symbol,
        side: intent.side,
        quantity: intent.quantity,
        price,
        position,
        brackets,
        margin: f.liquidationMargin(intent.symbol, margin),
        minDistancePct: minDistance,
      });
      if (d) return d;
    }
    return { asset, amount: margin };
  }

  private submit(intent: OrderIntent): void {
    const r = this.judge(intent);
    if ('code' in r) {
      this.bus?.publish({ type: 'OrderDenied', intent, code: r.code, message: r.message, numbers: r.numbers });
      return;
    }
    this.ledger.approve(intent, r.asset, r.amount);
    this.bus?.send({ type: 'PlaceOrder', intent });
  }
}
