import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Fixed,
  type FuturesAccountUpdate,
  type FuturesExecutionReport,
  type FuturesMarginCall,
  type FuturesOrderRequest,
  type Result,
  ZERO,
  breakEvenPrice,
  fixed,
  fundingWalletChange,
  fx,
  positionFromEntry,
} from '../../src/domain/index.js';
import type { FuturesGateway, FuturesStreamState, FuturesVenueListener, GatewayFailure } from '../../src/exchange/index.js';

/**
 * What the futures contract needs besides the gateway. The venue is a fresh one-way USD-M account holding 10,000 USDT
 * (cross margin, default leverage), trading the BTCUSDT and ETHUSDT perpetuals, whose resting orders fill only when a
 * trade goes through their price, and whose mark follows its trades.
 */
export interface FuturesGatewayHarness {
  readonly gateway: FuturesGateway;
  /** Makes the venue's tape print one trade (the symbol is the bot's, BTCUSDT.P). */
  trade(symbol: string, price: Fixed, quantity: Fixed): void | Promise<void>;
  /** Moves the venue's clock forward and lets it act on the new time (funding, countdowns, listenKey expiry). */
  advance(ms: number): void | Promise<void>;
  /** The venue's clock, ms. */
  now(): number;
  /** Resolves once the user data stream is open on a live key (after subscribe, and again after a renewal). */
  streamReady(): Promise<void>;
  close?(): Promise<void>;
}

/** The bot's names for the perpetuals; the adapter speaks Binance's (BTCUSDT) on the wire. */
const SYMBOL = 'BTCUSDT.P';
const OTHER_SYMBOL = 'ETHUSDT.P';
const MARKET = fx('50000');

/** Keeps what the stream said, and lets a test wait for a state of it (never for elapsed time). */
class Recorder implements FuturesVenueListener {
  readonly reports: FuturesExecutionReport[] = [];
  readonly updates: FuturesAccountUpdate[] = [];
  readonly marginCalls: FuturesMarginCall[] = [];
  readonly states: FuturesStreamState[] = [];
  private waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  onExecution(report: FuturesExecutionReport): void {
    this.reports.push(report);
    this.wake();
  }
  onAccountUpdate(update: FuturesAccountUpdate): void {
    this.updates.push(update);
    this.wake();
  }
  onMarginCall(call: FuturesMarginCall): void {
    this.marginCalls.push(call);
    this.wake();
  }
  onStreamState(state: FuturesStreamState): void {
    this.states.push(state);
    this.wake();
  }
  of(clientOrderId: string): FuturesExecutionReport[] {
    return this.reports.filter((r) => r.clientOrderId === clientOrderId);
  }
  until(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
  /** Waits for a report of the order in that status. */
  status(clientOrderId: string, status: FuturesExecutionReport['status']): Promise<FuturesExecutionReport> {
    return this.until(() => this.of(clientOrderId).some((r) => r.status === status)).then(
      () => this.of(clientOrderId).find((r) => r.status === status) as FuturesExecutionReport,
    );
  }
  private wake(): void {
    const due = this.waiters.filter((w) => w.test());
    this.waiters = this.waiters.filter((w) => !w.test());
    for (const w of due) w.resolve();
  }
}

function value<T>(r: Result<T, GatewayFailure>): T {
  if (!r.ok) throw new Error(`venue refused: ${r.error.code} ${r.error.message}`);
  return r.value;
}

function failure<T>(r: Result<T, GatewayFailure>): GatewayFailure {
  if (r.ok) throw new Error('expected the venue to refuse');
  return r.error;
}

/** What a venue may not have: klines of its own, or a listenKey that expires (an in-process venue has neither). */
export interface FuturesContractScope {
  readonly klines?: boolean;
  readonly listenKey?: boolean;
}

/** The futures gateway contract: run it once per implementation with a factory of fresh venues. */
export function runFuturesGatewayContract(
  name: string,
  makeHarness: () => FuturesGatewayHarness | Promise<FuturesGatewayHarness>,
  scope: FuturesContractScope = {},
): void {
  describe(`FuturesGateway contract: ${name}`, () => {
    let h: FuturesGatewayHarness;
    let gw: FuturesGateway;
    let rec: Recorder;
    let unsubscribe: () => void;
    let seq = 0;
    const id = (tag: string) => `tg_fc_${tag}_${++seq}`;
    const limit = (side: 'BUY' | 'SELL', price: Fixed, quantity: Fixed, clientOrderId: string, extra: Partial<FuturesOrderRequest> = {}) =>
      ({ clientOrderId, symbol: SYMBOL, side, type: 'LIMIT', price, quantity, timeInForce: 'GTC', ...extra }) as const;
    /** Opens a long of `quantity` at `price` as maker: a resting buy and a trade through it. */
    const openLong = async (price: Fixed, quantity: Fixed): Promise<FuturesExecutionReport> => {
      const cid = id('open');
      value(await gw.placeOrder(limit('BUY', price, quantity, cid)));
      await h.trade(SYMBOL, price - fx('0.1'), fx('5'));
      return rec.status(cid, 'FILLED');
    };

    beforeEach(async () => {
      h = await makeHarness();
      gw = h.gateway;
      rec = new Recorder();
      unsubscribe = gw.subscribe(rec);
      await h.streamReady();
      await h.trade(SYMBOL, MARKET, fx('1'));
      await h.trade(OTHER_SYMBOL, fx('3000'), fx('1'));
    });

    afterEach(async () => {
      unsubscribe();
      await h.close?.();
    });

    it('is in one-way mode and lists the perpetual with its tick, step and minimum notional', async () => {
      expect(value(await gw.positionMode())).toBe('one-way');
      const inst = value(await gw.instruments()).find((i) => i.symbol === SYMBOL);
      expect(inst).toMatchObject({ baseAsset: 'BTC', quoteAsset: 'USDT', market: 'usdm' });
      expect(inst?.filters.priceFilter.tickSize).toBeGreaterThan(ZERO);
      expect(inst?.filters.lotSize.stepSize).toBeGreaterThan(ZERO);
      expect(inst?.filters.minNotional?.minNotional).toBeGreaterThan(ZERO);
      expect(failure(await gw.openOrders('BTCUSDT'))).toMatchObject({ kind: 'rejected', code: 'NOT_PERPETUAL' });
    });

    it('acknowledges a resting limit under our client id, reports it NEW, and finds it', async () => {
      const cid = id('rest');
      const ack = value(await gw.placeOrder(limit('BUY', fx('49000'), fx('0.01'), cid)));
      expect(ack).toMatchObject({
        clientOrderId: cid,
        symbol: SYMBOL,
        side: 'BUY',
        type: 'LIMIT',
        status: 'NEW',
        cumQty: ZERO,
        reduceOnly: false,
        positionSide: 'BOTH',
        timeInForce: 'GTC',
      });
      expect(ack.price).toBe(fx('49000'));
      expect(ack.origQty).toBe(fx('0.01'));
      expect(ack.exchangeOrderId).toMatch(/^\d+$/);
      expect(await rec.status(cid, 'NEW')).toMatchObject({ executionType: 'NEW', exchangeOrderId: ack.exchangeOrderId });
      expect(value(await gw.getOrder(SYMBOL, cid))).toMatchObject({
        clientOrderId: cid,
        status: 'NEW',
        exchangeOrderId: ack.exchangeOrderId,
      });
      expect(value(await gw.openOrders(SYMBOL)).map((r) => r.clientOrderId)).toContain(cid);
      expect(value(await gw.openOrders()).map((r) => r.clientOrderId)).toContain(cid);
    });

    it('reports fills on the stream with realized PnL and USDT commission, and the position equals positionRisk', async () => {
      const rates = value(await gw.commissionRate(SYMBOL));
      const opened = await openLong(fx('49900'), fx('0.01'));
      expect(opened.trade).toMatchObject({
        price: fx('49900'),
        quantity: fx('0.01'),
        commissionAsset: 'USDT',
        realizedPnl: ZERO,
        isMaker: true,
      });
      expect(opened.trade?.commission).toBe(fixed.mul(fx('499'), rates.maker, 'halfEven'));

      await rec.until(() => rec.updates.some((u) => u.reason === 'ORDER' && u.positions.some((p) => p.symbol === SYMBOL)));
      const streamed = rec.updates
        .filter((u) => u.reason === 'ORDER')
        .at(-1)
        ?.positions.find((p) => p.symbol === SYMBOL);
      const [risk] = value(await gw.positions(SYMBOL));
      expect(risk).toMatchObject({ symbol: SYMBOL, positionSide: 'BOTH', positionAmt: fx('0.01'), entryPrice: fx('49900') });
      expect(streamed).toMatchObject({
        positionAmt: risk?.positionAmt,
        entryPrice: risk?.entryPrice,
        breakEvenPrice: risk?.breakEvenPrice,
      });
      // Opening fees are in the break-even price, as the domain's position maths has it.
      expect(risk?.breakEvenPrice).toBe(breakEvenPrice(positionFromEntry(fx('0.01'), fx('49900'), opened.trade?.commission)));

      const cid = id('close');
      value(await gw.placeOrder(limit('SELL', fx('50100'), fx('0.01'), cid, { reduceOnly: true })));
      await h.trade(SYMBOL, fx('50100.1'), fx('5'));
      const closed = await rec.status(cid, 'FILLED');
      expect(closed).toMatchObject({ reduceOnly: true, positionSide: 'BOTH' });
      // (50100 − 49900) · 0.01, before fees.
      expect(closed.trade?.realizedPnl).toBe(fx('2'));
      expect(closed.trade?.commission).toBe(fixed.mul(fx('501'), rates.maker, 'halfEven'));
      expect(value(await gw.positions(SYMBOL))).toEqual([]);
      const trades = value(await gw.orderTrades(SYMBOL, cid));
      expect(trades.map((t) => t.trade)).toEqual([closed.trade]);
    });

    it('cancels an open order and reports CANCELED', async () => {
      const cid = id('cancel');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.01'), cid)));
      expect(value(await gw.cancelOrder(SYMBOL, cid))).toMatchObject({ clientOrderId: cid, status: 'CANCELED' });
      await rec.status(cid, 'CANCELED');
      expect(rec.of(cid).map((r) => r.status)).toEqual(['NEW', 'CANCELED']);
      expect(value(await gw.openOrders(SYMBOL))).toEqual([]);
      expect(value(await gw.getOrder(SYMBOL, cid))).toMatchObject({ status: 'CANCELED' });
    });

    it('cancels every open order of one symbol and leaves the other symbol alone', async () => {
      const first = id('all_a');
      const second = id('all_b');
      const other = id('all_other');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.01'), first)));
      value(await gw.placeOrder(limit('SELL', fx('52000'), fx('0.01'), second)));
      value(await gw.placeOrder({ ...limit('BUY', fx('2900'), fx('0.1'), other), symbol: OTHER_SYMBOL }));
      expect(value(await gw.cancelAll(SYMBOL))).toBeUndefined();
      await rec.status(first, 'CANCELED');
      await rec.status(second, 'CANCELED');
      expect(value(await gw.openOrders(SYMBOL))).toEqual([]);
      expect(value(await gw.openOrders(OTHER_SYMBOL)).map((r) => [r.clientOrderId, r.status])).toEqual([[other, 'NEW']]);
      expect(rec.of(other).map((r) => r.status)).toEqual(['NEW']);
    });

    it('answers unknown orders: a query is undefined, a cancel is rejected (-2011)', async () => {
      expect(value(await gw.getOrder(SYMBOL, id('ghost')))).toBeUndefined();
      expect(failure(await gw.cancelOrder(SYMBOL, id('ghost')))).toMatchObject({ kind: 'rejected', code: 'BINANCE_-2011' });
      expect(value(await gw.orderTrades(SYMBOL, id('ghost')))).toEqual([]);
    });

    it('classifies refusals: margin (-2019), min notional (-4164), post-only that would take (-5022), reduce-only (-2022)', async () => {
      const margin = failure(await gw.placeOrder(limit('BUY', fx('49000'), fx('100'), id('margin'))));
      expect(margin).toMatchObject({ kind: 'rejected', code: 'BINANCE_-2019' });

      const inst = value(await gw.instruments()).find((i) => i.symbol === SYMBOL);
      const step = inst?.filters.lotSize.stepSize ?? fx('0.001');
      const small = failure(await gw.placeOrder(limit('BUY', fx('49000'), step, id('notional'))));
      expect(small).toMatchObject({ kind: 'rejected', code: 'BINANCE_-4164' });

      const gtx = failure(await gw.placeOrder(limit('BUY', fx('50100'), fx('0.01'), id('gtx'), { timeInForce: 'GTX' })));
      expect(gtx).toMatchObject({ kind: 'rejected', code: 'BINANCE_-5022' });

      // Flat: a reduce-only order has nothing to reduce.
      const ro = failure(await gw.placeOrder(limit('SELL', fx('51000'), fx('0.01'), id('ro'), { reduceOnly: true })));
      expect(ro).toMatchObject({ kind: 'rejected', code: 'BINANCE_-2022' });
      expect(value(await gw.openOrders(SYMBOL))).toEqual([]);
    });

    it('reads leverage brackets, commission rates and the premium index of the perpetual', async () => {
      const [brackets] = value(await gw.brackets(SYMBOL));
      expect(brackets?.symbol).toBe(SYMBOL);
      expect(brackets?.brackets[0]).toMatchObject({ bracket: 1, notionalFloor: ZERO, cum: ZERO });
      const rates = value(await gw.commissionRate(SYMBOL));
      expect(rates.symbol).toBe(SYMBOL);
      expect(rates.taker).toBeGreaterThanOrEqual(rates.maker);
      const premium = value(await gw.premiumIndex(SYMBOL));
      expect(premium).toMatchObject({ symbol: SYMBOL, markPrice: MARKET });
      expect(premium.nextFundingTime).toBeGreaterThan(h.now());
      // fundingInfo lists only adjusted perpetuals on Binance; the sandbox lists every one, at Binance's default 8 h.
      expect(value(await gw.fundingIntervals()).get(SYMBOL)).toBe(8);
      if (scope.klines === false) {
        // A venue that keeps no klines says so rather than answering with none.
        expect(await gw.candles(SYMBOL, '1m', { limit: 1 })).toMatchObject({ ok: false });
        return;
      }
      // Klines of the perpetual under the bot's name: the last one holds the trade just heard, exact.
      const [kline] = value(await gw.candles(SYMBOL, '1m', { limit: 1 }));
      expect(kline?.close).toBe(MARKET);
      expect(kline?.closeTime).toBe((kline?.openTime ?? 0) + 59_999);
    });

    it('sets leverage and margin type (asking twice is still success), and the position carries them', async () => {
      expect(value(await gw.setLeverage(SYMBOL, 5))).toMatchObject({ leverage: 5 });
      expect(value(await gw.setMarginType(SYMBOL, 'ISOLATED'))).toBeUndefined();
      expect(value(await gw.setMarginType(SYMBOL, 'ISOLATED'))).toBeUndefined();
      await openLong(fx('49900'), fx('0.01'));
      const [position] = value(await gw.positions(SYMBOL));
      expect(position).toMatchObject({ leverage: 5, marginType: 'ISOLATED' });
      expect(position?.isolatedWallet).toBeGreaterThan(ZERO);
      expect(position?.liquidationPrice).toBeGreaterThan(ZERO);
      expect(position?.liquidationPrice).toBeLessThan(fx('49900'));
    });

    it('reports a funding settlement as ACCOUNT_UPDATE(FUNDING_FEE), booked as FUNDING_FEE income', async () => {
      await openLong(fx('49900'), fx('0.01'));
      const premium = value(await gw.premiumIndex(SYMBOL));
      expect(premium.nextFundingTime).toBeGreaterThan(h.now());
      const account = value(await gw.account());
      await h.advance(premium.nextFundingTime - h.now() + 1);
      await rec.until(() => rec.updates.some((u) => u.reason === 'FUNDING_FEE'));
      const funding = rec.updates.find((u) => u.reason === 'FUNDING_FEE') as FuturesAccountUpdate;
      const usdt = funding.balances.find((b) => b.asset === 'USDT');
      // −positionAmt · mark · rate at the settlement: longs pay a positive rate. No trade moved the mark meanwhile.
      expect(usdt?.balanceChange).toBe(fundingWalletChange(fx('0.01'), premium.markPrice, premium.fundingRate));
      const walletBefore = account.assets.find((a) => a.asset === 'USDT')?.walletBalance ?? ZERO;
      expect(usdt?.walletBalance).toBe(walletBefore + (usdt?.balanceChange ?? ZERO));
      const rows = value(await gw.income({ symbol: SYMBOL, incomeType: 'FUNDING_FEE' }));
      expect(rows.map((r) => [r.incomeType, r.income])).toEqual([['FUNDING_FEE', usdt?.balanceChange]]);
    });

    // A venue without a listenKey (the in-process paper one) has nothing to recreate: the case is not registered for it.
    const withListenKey = scope.listenKey === false ? (_name: string, _fn: () => Promise<void>) => undefined : it;
    withListenKey('recreates the listenKey after it expires and keeps reporting on the new one', async () => {
      await h.advance(61 * 60_000);
      await h.trade(SYMBOL, MARKET, fx('1'));
      await rec.until(() => rec.states.some((s) => s.state === 'renewing'));
      await h.streamReady();
      await rec.until(() => rec.states.at(-1)?.state === 'ready');
      const cid = id('after_renewal');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.01'), cid)));
      expect(await rec.status(cid, 'NEW')).toMatchObject({ clientOrderId: cid });
    });

    it('cancels every open order of the symbol once the countdown passes without a refresh', async () => {
      const cid = id('countdown');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.01'), cid)));
      value(await gw.countdownCancelAll(SYMBOL, 30_000));
      await h.advance(20_000);
      expect(value(await gw.openOrders(SYMBOL)).map((r) => r.clientOrderId)).toEqual([cid]);
      await h.advance(20_000);
      await rec.status(cid, 'CANCELED');
      expect(value(await gw.openOrders(SYMBOL))).toEqual([]);
    });
  });
}
