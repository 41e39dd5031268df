import type { Fixed, Result, TradeTick } from '../../domain/index.js';
import type { OrderRef, VenueRejection } from '../matching/index.js';
import type { FuturesEngine } from './futures-engine.js';
import type {
  FuturesAccountView,
  FuturesBalanceView,
  FuturesEvent,
  FuturesNewOrder,
  FuturesOrderView,
  FuturesPlaced,
  FuturesTrade,
  FuturesVenue,
  IncomeRow,
  MarginType,
  PositionView,
  SymbolConfigView,
} from './types.js';

/**
 * The engine as the hub serves it: every call first brings the account up to the hub's clock (funding, countdowns,
 * liquidations due: `catchUp`), and every command announces the events it caused before it returns, so the user data
 * stream has them before the REST answer goes out (as spot's placeOrder/onVenueEvent).
 */
export class AnnouncedFuturesVenue implements FuturesVenue {
  constructor(
    private readonly engine: FuturesEngine,
    private readonly catchUp: () => void,
    private readonly announce: (events: readonly FuturesEvent[]) => void,
    /** Told after every command that succeeded, events or not (a margin type or countdown change must be saved too). */
    private readonly changed: () => void,
  ) {}

  placeOrder(order: FuturesNewOrder, time: number): Result<FuturesPlaced, VenueRejection> {
    this.catchUp();
    return this.told(this.engine.placeOrder(order, time), (v) => v.events);
  }

  cancelOrder(symbol: string, ref: OrderRef, time: number): Result<FuturesPlaced, VenueRejection> {
    this.catchUp();
    return this.told(this.engine.cancelOrder(symbol, ref, time), (v) => v.events);
  }

  cancelAllOpenOrders(symbol: string, time: number): Result<readonly FuturesEvent[], VenueRejection> {
    this.catchUp();
    return this.told(this.engine.cancelAllOpenOrders(symbol, time), (v) => v);
  }

  getOrder(symbol: string, ref: OrderRef): Result<FuturesOrderView, VenueRejection> {
    this.catchUp();
    return this.engine.getOrder(symbol, ref);
  }

  openOrders(symbol?: string): Result<FuturesOrderView[], VenueRejection> {
    this.catchUp();
    return this.engine.openOrders(symbol);
  }

  allOrders(symbol: string): Result<FuturesOrderView[], VenueRejection> {
    this.catchUp();
    return this.engine.allOrders(symbol);
  }

  userTrades(symbol: string): Result<FuturesTrade[], VenueRejection> {
    this.catchUp();
    return this.engine.userTrades(symbol);
  }

  income(): readonly IncomeRow[] {
    this.catchUp();
    return this.engine.income();
  }

  setLeverage(
    symbol: string,
    leverage: number,
    time: number,
  ): Result<{ leverage: number; maxNotionalValue: Fixed; events: readonly FuturesEvent[] }, VenueRejection> {
    this.catchUp();
    return this.told(this.engine.setLeverage(symbol, leverage, time), (v) => v.events);
  }

  setMarginType(symbol: string, marginType: MarginType, time: number): Result<readonly FuturesEvent[], VenueRejection> {
    this.catchUp();
    return this.told(this.engine.setMarginType(symbol, marginType, time), (v) => v);
  }

  setDualSidePosition(dual: boolean): Result<void, VenueRejection> {
    return this.engine.setDualSidePosition(dual); // always a refusal: one-way mode only
  }

  dualSidePosition(): boolean {
    return this.engine.dualSidePosition();
  }

  symbolConfig(symbol?: string): Result<SymbolConfigView[], VenueRejection> {
    return this.engine.symbolConfig(symbol);
  }

  positions(symbol?: string): Result<PositionView[], VenueRejection> {
    this.catchUp();
    return this.engine.positions(symbol);
  }

  account(): FuturesAccountView {
    this.catchUp();
    return this.engine.account();
  }

  balances(): FuturesBalanceView[] {
    this.catchUp();
    return this.engine.balances();
  }

  commissionRate(symbol: string): Result<{ maker: Fixed; taker: Fixed }, VenueRejection> {
    return this.engine.commissionRate(symbol);
  }

  countdownCancelAll(symbol: string, countdownMs: number, time: number): Result<void, VenueRejection> {
    this.catchUp();
    return this.told(this.engine.countdownCancelAll(symbol, countdownMs, time), () => []);
  }

  onTrade(tick: TradeTick): readonly FuturesEvent[] {
    const events = this.engine.onTrade(tick);
    this.announce(events);
    return events;
  }

  advance(time: number): readonly FuturesEvent[] {
    const events = this.engine.advance(time);
    this.announce(events);
    return events;
  }

  private told<T>(res: Result<T, VenueRejection>, events: (v: T) => readonly FuturesEvent[]): Result<T, VenueRejection> {
    if (res.ok) {
      this.announce(events(res.value));
      this.changed();
    }
    return res;
  }
}
