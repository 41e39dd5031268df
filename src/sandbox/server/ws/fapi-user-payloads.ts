import { type Fixed, format } from '../../../domain/index.js';
import type { FuturesEvent, MarginType, PositionView } from '../../futures/index.js';

/**
 * USD-M user data frames (PROTOCOLS-FUTURES B.3) from the account's FuturesEvents, in Binance's names and types:
 * decimals are strings, ids and times JSON integers, flags booleans. Decimals are written exactly with trailing zeros
 * trimmed ("0.02", "2313", "0"), as the real NEW frame of B.3 shows them; every figure is already truncated to 8 places
 * by the engine.
 */

function dec(v: Fixed): string {
  return format(v);
}

/** positionRisk and ACCOUNT_UPDATE write the margin type in lowercase. */
function marginTypeText(m: MarginType): 'cross' | 'isolated' {
  return m === 'CROSSED' ? 'cross' : 'isolated';
}

/** The margin asset of a USDT-margined symbol (the sandbox serves USDT-quoted instruments only). */
const MARGIN_ASSET = 'USDT';

type OrderEvent = Extract<FuturesEvent, { type: 'order' }>;
type AccountEvent = Extract<FuturesEvent, { type: 'account' }>;
type MarginCallEvent = Extract<FuturesEvent, { type: 'marginCall' }>;
type LeverageEvent = Extract<FuturesEvent, { type: 'leverage' }>;

/**
 * ORDER_TRADE_UPDATE. The sandbox has no conditional, trailing or price-match orders, so `sp` is "0", `wt`
 * CONTRACT_PRICE, `cp`/`pP` false, `pm` NONE and `gtd` 0; `V` is EXPIRE_MAKER, Binance's default self-trade mode. `N` is
 * the margin asset before any fill, as in the real NEW frame. `T` is the event's own time (the order's transaction time).
 */
function orderTradeUpdate(ev: OrderEvent, eventTime: number): object {
  const { order, fill } = ev;
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: eventTime,
    T: ev.time,
    o: {
      s: order.symbol,
      c: order.clientOrderId,
      S: order.side,
      o: order.type,
      f: order.timeInForce,
      q: dec(order.origQty),
      p: dec(order.price),
      ap: dec(order.avgPrice),
      sp: '0',
      x: ev.execution,
      X: order.status,
      i: order.orderId,
      l: dec(fill?.quantity ?? 0n),
      z: dec(order.executedQty),
      L: dec(fill?.price ?? 0n),
      N: fill?.commissionAsset ?? MARGIN_ASSET,
      n: dec(fill?.commission ?? 0n),
      T: ev.time,
      t: fill?.tradeId ?? 0,
      b: dec(ev.bidNotional),
      a: dec(ev.askNotional),
      m: fill?.isMaker ?? false,
      R: order.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: order.origType,
      ps: order.positionSide,
      cp: false,
      rp: dec(fill?.realizedPnl ?? 0n),
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: 0,
      er: String(ev.expireReason),
    },
  };
}

/** One `P` row of ACCOUNT_UPDATE; `ma` is the margin asset, as live frames add it. */
function positionRow(p: PositionView): object {
  return {
    s: p.symbol,
    pa: dec(p.positionAmt),
    ep: dec(p.entryPrice),
    bep: dec(p.breakEvenPrice),
    cr: dec(p.accumulatedRealized),
    up: dec(p.unrealizedProfit),
    mt: marginTypeText(p.marginType),
    iw: dec(p.isolatedWallet),
    ps: p.positionSide,
    ma: MARGIN_ASSET,
  };
}

/** ACCOUNT_UPDATE; `P` is always sent, empty for a cross funding settlement (binance-api-node throws without it). */
function accountUpdate(ev: AccountEvent, eventTime: number): object {
  return {
    e: 'ACCOUNT_UPDATE',
    E: eventTime,
    T: ev.time,
    a: {
      m: ev.reason,
      B: ev.balances.map((b) => ({ a: b.asset, wb: dec(b.walletBalance), cw: dec(b.crossWalletBalance), bc: dec(b.balanceChange) })),
      P: ev.positions.map(positionRow),
    },
  };
}

/** MARGIN_CALL: `mp` is the mark, `mm` the position's maintenance margin. It carries no `T` on Binance. */
function marginCall(ev: MarginCallEvent, eventTime: number): object {
  return {
    e: 'MARGIN_CALL',
    E: eventTime,
    cw: dec(ev.crossWalletBalance),
    p: ev.positions.map((p) => ({
      s: p.symbol,
      ps: p.positionSide,
      pa: dec(p.positionAmt),
      mt: marginTypeText(p.marginType),
      iw: dec(p.isolatedWallet),
      mp: dec(p.markPrice),
      up: dec(p.unrealizedProfit),
      mm: dec(p.maintMargin),
    })),
  };
}

/** ACCOUNT_CONFIG_UPDATE for a leverage change. */
function accountConfigUpdate(ev: LeverageEvent, eventTime: number): object {
  return { e: 'ACCOUNT_CONFIG_UPDATE', E: eventTime, T: ev.time, ac: { s: ev.symbol, l: ev.leverage } };
}

/** The frame of any FuturesEvent; `eventTime` is when it is sent (later than `time` when a fault held it). */
export function futuresUserFrame(ev: FuturesEvent, eventTime: number): object {
  switch (ev.type) {
    case 'order':
      return orderTradeUpdate(ev, eventTime);
    case 'account':
      return accountUpdate(ev, eventTime);
    case 'marginCall':
      return marginCall(ev, eventTime);
    case 'leverage':
      return accountConfigUpdate(ev, eventTime);
  }
}

/** Sent once on every stream of a key when it expires; nothing follows on those streams. `E` is an integer (B.1). */
export function listenKeyExpired(listenKey: string, eventTime: number): object {
  return { e: 'listenKeyExpired', E: eventTime, listenKey };
}
