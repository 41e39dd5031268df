/** A futures book on a bus with a manual clock, and the USD-M events the venue would publish, built from a few figures. */
import {
  type Fixed,
  type FuturesAccountUpdate,
  type FuturesMarginType,
  type MessageOf,
  type Side,
  type SymbolBrackets,
  ZERO,
  fixed,
  fx,
} from '../../src/domain/index.js';
import { BusHost, ManualClock, SequentialIds } from '../../src/engine/index.js';
import { FuturesBook, type FuturesBookState } from '../../src/portfolio/index.js';
import { btcBrackets } from '../domain/futures/brackets-file.js';
import { aFill } from '../kit/builders.js';
import type { FakeFuturesGateway } from '../kit/fake-futures-gateway.js';

export const PERP = 'BTCUSDT.P';

/** Binance's live BTCUSDT brackets under the bot's name for the perpetual. */
export function perpBrackets(symbol = PERP): SymbolBrackets {
  return { ...btcBrackets(), symbol };
}

export function futuresBookRig(o: { gateway?: FakeFuturesGateway; initial?: FuturesBookState } = {}) {
  const clock = new ManualClock(1_700_000_000_000);
  const host = new BusHost(clock, new SequentialIds());
  const book = new FuturesBook({ ...(o.gateway ? { gateway: o.gateway } : {}), ...(o.initial ? { initial: o.initial } : {}) });
  book.setBrackets([perpBrackets(), perpBrackets('ETHUSDT.P')]);
  host.add(book);
  const changes: MessageOf<'FuturesPositionChanged'>[] = [];
  const funding: MessageOf<'FundingSettled'>[] = [];
  host.bus.on('FuturesPositionChanged', (m) => changes.push(m));
  host.bus.on('FundingSettled', (m) => funding.push(m));
  let trade = 0;

  /** A bot fill; the fee is the commission in USDT (execution's feeQuote for a USD-M fill). */
  const fill = (side: Side, qty: string, price: string, fee: string, symbol = PERP, clientOrderId = `tg_G1_${++trade}_B1`) =>
    host.bus.publish(
      aFill({
        clientOrderId,
        symbol,
        side,
        quantity: fx(qty),
        price: fx(price),
        commission: fx(fee),
        commissionAsset: 'USDT',
        feeQuote: fx(fee),
        tradeId: ++trade,
        time: clock.now(),
      }),
    );
  const mark = (price: string, rate = '0.0001', symbol = PERP) =>
    host.bus.publish({
      type: 'MarkPriceTicked',
      symbol,
      markPrice: fx(price),
      fundingRate: fx(rate),
      nextFundingTime: 0,
      time: clock.now(),
    });
  const account = (
    reason: string,
    wallet: string,
    positions: readonly {
      symbol?: string;
      amount: string;
      entry: string;
      bep?: string;
      marginType?: FuturesMarginType;
      iw?: string;
    }[] = [],
    balanceChange = '0',
  ) => {
    const update: FuturesAccountUpdate = {
      reason,
      time: clock.now(),
      balances: [{ asset: 'USDT', walletBalance: fx(wallet), crossWalletBalance: fx(wallet), balanceChange: fx(balanceChange) }],
      positions: positions.map((p) => ({
        symbol: p.symbol ?? PERP,
        positionSide: 'BOTH',
        positionAmt: fx(p.amount),
        entryPrice: fx(p.entry),
        breakEvenPrice: fx(p.bep ?? p.entry),
        accumulatedRealized: ZERO,
        unrealizedPnl: ZERO,
        marginType: p.marginType ?? 'CROSSED',
        isolatedWallet: fx(p.iw ?? '0'),
      })),
    };
    host.bus.publish({ type: 'FuturesAccountReported', update });
  };
  const liquidated = (side: Side, qty: string, price: string, fee: string, realized: Fixed) =>
    host.bus.publish({
      type: 'PositionLiquidated',
      report: {
        clientOrderId: 'autoclose-1',
        exchangeOrderId: '99',
        symbol: PERP,
        side,
        type: 'LIQUIDATION',
        timeInForce: 'IOC',
        status: 'FILLED',
        price: ZERO,
        origQty: fx(qty),
        cumQty: fx(qty),
        avgPrice: fx(price),
        reduceOnly: true,
        positionSide: 'BOTH',
        trade: {
          tradeId: 999,
          price: fx(price),
          quantity: fx(qty),
          commission: fx(fee),
          commissionAsset: 'USDT',
          realizedPnl: realized,
          isMaker: false,
        },
        time: clock.now(),
      },
    });
  return { clock, host, book, changes, funding, fill, mark, account, liquidated, fixed };
}
