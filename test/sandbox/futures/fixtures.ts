import { type Instrument, type TradeTick, catalogInstrument, fx } from '../../../src/domain/index.js';
import {
  type FuturesEngineOptions,
  type FuturesEvent,
  FuturesEngine,
  FuturesMarket,
  type FuturesMarketOptions,
  type FuturesNewOrder,
  type FuturesPlaced,
  type PositionView,
} from '../../../src/sandbox/futures/index.js';

export const BTC = catalogInstrument('BTCUSDT') as Instrument;
export const ETH = catalogInstrument('ETHUSDT') as Instrument;
const SOL = catalogInstrument('SOLUSDT') as Instrument;

/** 2026-01-01 07:00 UTC: an hour before the 08:00 settlement. */
export const START = Date.UTC(2026, 0, 1, 7, 0, 0);

export interface Rig {
  readonly clock: { t: number; now(): number };
  readonly market: FuturesMarket;
  readonly engine: FuturesEngine;
  /** A tape trade at the clock's time, fed as the hub feeds it: catch up the clock, move the mark, match. */
  trade(price: string, quantity?: string, symbol?: string): FuturesEvent[];
  /** Moves the clock and advances the engine. */
  at(time: number): FuturesEvent[];
  place(order: FuturesNewOrder): FuturesPlaced;
  position(symbol?: string): PositionView;
}

let tradeId = 0;

export function rig(options: { engine?: FuturesEngineOptions; market?: FuturesMarketOptions; start?: number } = {}): Rig {
  const clock = {
    t: options.start ?? START,
    now(): number {
      return this.t;
    },
  };
  const instruments = [BTC, ETH, SOL];
  const market = new FuturesMarket(instruments, clock, options.market);
  const engine = new FuturesEngine(instruments, market, options.engine ?? {}, clock.t);
  return {
    clock,
    market,
    engine,
    trade(price, quantity = '1', symbol = 'BTCUSDT') {
      const tick: TradeTick = { symbol, price: fx(price), quantity: fx(quantity), time: clock.t, tradeId: ++tradeId, isBuyerMaker: false };
      const before = engine.advance(clock.t);
      market.onTrade(tick);
      return [...before, ...engine.onTrade(tick)];
    },
    at(time) {
      clock.t = time;
      return [...engine.advance(time)];
    },
    place(order) {
      const r = engine.placeOrder(order, clock.t);
      if (!r.ok) throw new Error(`unexpected rejection: ${r.error.binanceCode} ${r.error.message}`);
      return r.value;
    },
    position(symbol = 'BTCUSDT') {
      const r = engine.positions(symbol);
      if (!r.ok) throw new Error(r.error.message);
      return r.value[0] as PositionView;
    },
  };
}

export function limit(
  side: 'BUY' | 'SELL',
  price: string,
  quantity: string,
  clientOrderId: string,
  extra: Partial<FuturesNewOrder> = {},
): FuturesNewOrder {
  return { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', price: fx(price), quantity: fx(quantity), clientOrderId, ...extra };
}

export function market(
  side: 'BUY' | 'SELL',
  quantity: string,
  clientOrderId: string,
  extra: Partial<FuturesNewOrder> = {},
): FuturesNewOrder {
  return { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: fx(quantity), clientOrderId, ...extra };
}

/** Events as short strings: `order:TRADE:FILLED`, `account:ORDER`, `marginCall`, `leverage`. */
export function kinds(events: readonly FuturesEvent[]): string[] {
  return events.map((e) => {
    if (e.type === 'order') return `order:${e.execution}:${e.order.status}`;
    if (e.type === 'account') return `account:${e.reason}`;
    return e.type;
  });
}
