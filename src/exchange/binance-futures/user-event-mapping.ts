import type { FuturesAccountUpdate, FuturesExecutionReport, FuturesMarginCall } from '../../domain/index.js';
import { marginType, orderType, positionSide, side, status, timeInForce } from './futures-enums.js';
import { Bad, type Mapped, type Obj, arr, attempt, bool, dec, id, int, obj, perp, text } from './wire-readers.js';

/** A futures user data frame in domain terms. */
export type FuturesUserEvent =
  | { readonly type: 'execution'; readonly report: FuturesExecutionReport }
  | { readonly type: 'account'; readonly update: FuturesAccountUpdate }
  | { readonly type: 'marginCall'; readonly call: FuturesMarginCall }
  /** listenKeyExpired: nothing more comes on this key; the stream must be recreated. */
  | { readonly type: 'expired'; readonly time: number }
  /** ACCOUNT_CONFIG_UPDATE, TRADE_LITE, ALGO_UPDATE…: nothing the port carries. */
  | { readonly type: 'ignored'; readonly eventType: string };

const EXECUTION_TYPES = new Set(['NEW', 'CANCELED', 'CALCULATED', 'EXPIRED', 'TRADE', 'AMENDMENT']);

/**
 * A raw user data frame as binance-api-node passes it with its transforms off: Binance's own short names, with `e`
 * moved to `type`. The transforms are off because the ACCOUNT_UPDATE one drops `bep` (break-even) and the
 * ORDER_TRADE_UPDATE one drops `er` (expire reason); Binance's documented names are also the ones the facts file cites.
 */
export function mapFuturesUserEvent(raw: unknown): Mapped<FuturesUserEvent> {
  return attempt('futures user data event', (): FuturesUserEvent => {
    const m = obj(raw, 'event');
    const eventType = m.type ?? m.e;
    switch (eventType) {
      case 'ORDER_TRADE_UPDATE':
        return { type: 'execution', report: orderUpdate(m) };
      case 'ACCOUNT_UPDATE':
        return { type: 'account', update: accountUpdate(m) };
      case 'MARGIN_CALL':
        return { type: 'marginCall', call: marginCall(m) };
      case 'listenKeyExpired':
        return { type: 'expired', time: int(m.E, 'E') };
      default:
        return { type: 'ignored', eventType: String(eventType) };
    }
  });
}

function orderUpdate(m: Obj): FuturesExecutionReport {
  const o = obj(m.o, 'o');
  const x = text(o.x, 'x');
  if (!EXECUTION_TYPES.has(x)) throw new Bad(`execution type ${x} is not known`);
  const executionType = x as NonNullable<FuturesExecutionReport['executionType']>;
  // CALCULATED is the liquidation's fill: a trade like any other for the position and the books.
  const isFill = executionType === 'TRADE' || executionType === 'CALCULATED';
  return {
    clientOrderId: text(o.c, 'c'),
    exchangeOrderId: id(o.i, 'i'),
    symbol: perp(o.s, 's'),
    side: side(o.S),
    type: orderType(o.o),
    timeInForce: timeInForce(o.f),
    status: status(o.X),
    price: dec(o.p, 'p'),
    origQty: dec(o.q, 'q'),
    cumQty: dec(o.z, 'z'),
    avgPrice: dec(o.ap, 'ap'),
    reduceOnly: bool(o.R, 'R'),
    positionSide: positionSide(o.ps),
    executionType,
    expireReason: o.er === undefined ? 0 : int(o.er, 'er'),
    ...(isFill && {
      trade: {
        tradeId: int(o.t, 't'),
        price: dec(o.L, 'L'),
        quantity: dec(o.l, 'l'),
        commission: dec(o.n, 'n'),
        commissionAsset: text(o.N, 'N'),
        realizedPnl: dec(o.rp, 'rp'),
        isMaker: bool(o.m, 'm'),
      },
    }),
    time: int(o.T ?? m.T, 'T'),
  };
}

function accountUpdate(m: Obj): FuturesAccountUpdate {
  const a = obj(m.a, 'a');
  return {
    reason: text(a.m, 'm'),
    time: int(m.T ?? m.E, 'T'),
    balances: arr(a.B, 'B').map((raw) => {
      const b = obj(raw, 'B[]');
      return {
        asset: text(b.a, 'a'),
        walletBalance: dec(b.wb, 'wb'),
        crossWalletBalance: dec(b.cw, 'cw'),
        balanceChange: dec(b.bc, 'bc'),
      };
    }),
    // Binance always sends P (empty for a cross funding settlement); a frame without it is read as "no position changed".
    positions: (a.P === undefined ? [] : arr(a.P, 'P')).map((raw) => {
      const p = obj(raw, 'P[]');
      return {
        symbol: perp(p.s, 's'),
        positionSide: positionSide(p.ps),
        positionAmt: dec(p.pa, 'pa'),
        entryPrice: dec(p.ep, 'ep'),
        breakEvenPrice: dec(p.bep, 'bep'),
        accumulatedRealized: dec(p.cr, 'cr'),
        unrealizedPnl: dec(p.up, 'up'),
        marginType: marginType(p.mt),
        isolatedWallet: dec(p.iw, 'iw'),
      };
    }),
  };
}

function marginCall(m: Obj): FuturesMarginCall {
  return {
    time: int(m.E, 'E'),
    crossWalletBalance: dec(m.cw, 'cw'),
    positions: arr(m.p, 'p').map((raw) => {
      const p = obj(raw, 'p[]');
      return {
        symbol: perp(p.s, 's'),
        positionSide: positionSide(p.ps),
        positionAmt: dec(p.pa, 'pa'),
        marginType: marginType(p.mt),
        isolatedWallet: dec(p.iw, 'iw'),
        markPrice: dec(p.mp, 'mp'),
        unrealizedPnl: dec(p.up, 'up'),
        maintMargin: dec(p.mm, 'mm'),
      };
    }),
  };
}
