import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Balance, type ExecutionReport, type Fixed, type Result, ZERO, fixed, fx } from '../../src/domain/index.js';
import type { ExchangeGateway, GatewayFailure, PlaceOrderRequest, VenueListener } from '../../src/exchange/index.js';

/**
 * What the contract needs besides the gateway. The venue must be a fresh account holding between 1,000 and 3,000,000 USDT
 * (any BTC is fine; the suite works with differences), trading BTCUSDT and ETHUSDT with Binance's filters and 0.1 % fees, matching
 * resting orders only when a trade goes through their price.
 */
export interface GatewayHarness {
  readonly gateway: ExchangeGateway;
  /** Makes the venue's tape print one trade (paper: onTrade; sandbox server: push to its tape). */
  trade(symbol: string, price: Fixed, quantity: Fixed): void | Promise<void>;
  /** Resolves once everything the venue has sent so far reached the listeners; paper delivers synchronously. */
  settle?(): Promise<void>;
  close?(): Promise<void>;
}

const SYMBOL = 'BTCUSDT';
/** A second symbol quoted in USDT, for what must stay untouched. */
const OTHER_SYMBOL = 'ETHUSDT';
const MARKET = fx('50000');
const FEE = fx('0.001');

class Recorder implements VenueListener {
  readonly reports: ExecutionReport[] = [];
  readonly balances: Balance[][] = [];
  onExecution(report: ExecutionReport): void {
    this.reports.push(report);
  }
  onBalances(balances: readonly Balance[]): void {
    this.balances.push([...balances]);
  }
  of(clientOrderId: string): ExecutionReport[] {
    return this.reports.filter((r) => r.clientOrderId === clientOrderId);
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

/** The gateway contract every venue meets: run it once per implementation with a factory of fresh venues. */
export function runGatewayContract(name: string, makeGateway: () => GatewayHarness | Promise<GatewayHarness>): void {
  describe(`ExchangeGateway contract: ${name}`, () => {
    let h: GatewayHarness;
    let gw: ExchangeGateway;
    let rec: Recorder;
    let unsubscribe: () => void;
    let seq = 0;
    const id = (tag: string) => `tg_contract_${tag}_${++seq}`;
    const settle = async () => h.settle?.();
    const holding = async (asset: string) => {
      const b = value(await gw.balances()).find((x) => x.asset === asset);
      return { free: b?.free ?? ZERO, locked: b?.locked ?? ZERO };
    };
    const limit = (side: 'BUY' | 'SELL', price: Fixed, quantity: Fixed, clientOrderId: string): PlaceOrderRequest => ({
      clientOrderId,
      symbol: SYMBOL,
      side,
      type: 'LIMIT',
      price,
      quantity,
      timeInForce: 'GTC',
    });

    beforeEach(async () => {
      h = await makeGateway();
      gw = h.gateway;
      rec = new Recorder();
      unsubscribe = gw.subscribe(rec);
      await h.trade(SYMBOL, MARKET, fx('1'));
      await settle();
    });

    afterEach(async () => {
      unsubscribe();
      await h.close?.();
    });

    it('lists the symbol with its filters', async () => {
      const inst = value(await gw.instruments()).find((i) => i.symbol === SYMBOL);
      expect(inst).toMatchObject({ baseAsset: 'BTC', quoteAsset: 'USDT' });
      expect(inst?.filters.priceFilter.tickSize).toBe(fx('0.01'));
    });

    it('acknowledges a resting limit, locks its funds, reports it, and finds it', async () => {
      const before = await holding('USDT');
      const cid = id('rest');
      const ack = value(await gw.placeOrder(limit('BUY', fx('49000'), fx('0.001'), cid)));
      expect(ack).toMatchObject({ clientOrderId: cid, symbol: SYMBOL, side: 'BUY', type: 'LIMIT', status: 'NEW', cumQty: ZERO });
      expect(ack.price).toBe(fx('49000'));
      expect(ack.origQty).toBe(fx('0.001'));
      expect(ack.exchangeOrderId).toMatch(/^\d+$/);
      await settle();
      expect(rec.of(cid).map((r) => r.status)).toEqual(['NEW']);
      expect(rec.balances.some((bs) => bs.some((b) => b.asset === 'USDT'))).toBe(true);

      const after = await holding('USDT');
      expect(after.locked - before.locked).toBe(fx('49'));
      expect(before.free - after.free).toBe(fx('49'));

      expect(value(await gw.getOrder(SYMBOL, cid))).toMatchObject({
        clientOrderId: cid,
        status: 'NEW',
        exchangeOrderId: ack.exchangeOrderId,
      });
      expect(value(await gw.openOrders()).map((r) => r.clientOrderId)).toContain(cid);
      expect(value(await gw.openOrders(SYMBOL)).map((r) => r.clientOrderId)).toContain(cid);
    });

    it('cancels an open order, unlocks its funds and reports CANCELED', async () => {
      const before = await holding('USDT');
      const cid = id('cancel');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.001'), cid)));
      const canceled = value(await gw.cancelOrder(SYMBOL, cid));
      expect(canceled).toMatchObject({ clientOrderId: cid, status: 'CANCELED' });
      await settle();
      expect(rec.of(cid).map((r) => r.status)).toEqual(['NEW', 'CANCELED']);
      expect(await holding('USDT')).toEqual(before);
      expect(value(await gw.openOrders(SYMBOL)).map((r) => r.clientOrderId)).not.toContain(cid);
      expect(value(await gw.getOrder(SYMBOL, cid))).toMatchObject({ status: 'CANCELED' });
    });

    it('cancels every open order of one symbol, unlocking their funds, and leaves other symbols alone', async () => {
      const before = await holding('USDT');
      const first = id('all_a');
      const second = id('all_b');
      const other = id('all_other');
      value(await gw.placeOrder(limit('BUY', fx('48000'), fx('0.001'), first)));
      value(await gw.placeOrder(limit('BUY', fx('47000'), fx('0.002'), second)));
      const otherAck = value(await gw.placeOrder({ ...limit('BUY', fx('2000'), fx('0.01'), other), symbol: OTHER_SYMBOL }));
      await settle();

      const canceled = value(await gw.cancelAll(SYMBOL));
      expect(canceled.map((r) => [r.clientOrderId, r.symbol, r.status]).sort()).toEqual(
        [
          [first, SYMBOL, 'CANCELED'],
          [second, SYMBOL, 'CANCELED'],
        ].sort(),
      );
      await settle();
      expect(rec.of(first).map((r) => r.status)).toEqual(['NEW', 'CANCELED']);
      expect(rec.of(second).map((r) => r.status)).toEqual(['NEW', 'CANCELED']);
      expect(value(await gw.openOrders(SYMBOL))).toEqual([]);
      // Only the other symbol's order still holds quote: 2000 × 0.01.
      const after = await holding('USDT');
      expect(after.locked - before.locked).toBe(fx('20'));
      expect(before.free - after.free).toBe(fx('20'));
      expect(value(await gw.openOrders(OTHER_SYMBOL))).toEqual([
        expect.objectContaining({ clientOrderId: other, status: 'NEW', exchangeOrderId: otherAck.exchangeOrderId }),
      ]);
      expect(rec.of(other).map((r) => r.status)).toEqual(['NEW']);

      expect(value(await gw.cancelAll(SYMBOL))).toEqual([]);
    });

    it('fills a resting order when the tape trades through it, as maker at the limit, fee in the asset received', async () => {
      const before = await holding('BTC');
      const cid = id('fill');
      value(await gw.placeOrder(limit('BUY', fx('49900'), fx('0.002'), cid)));
      await h.trade(SYMBOL, fx('49900'), fx('1'));
      await settle();
      expect(rec.of(cid).map((r) => r.status)).toEqual(['NEW']);

      await h.trade(SYMBOL, fx('49899.99'), fx('1'));
      await settle();
      const fill = rec.of(cid).at(-1);
      expect(fill).toMatchObject({ status: 'FILLED', cumQty: fx('0.002'), cumQuote: fx('99.8') });
      expect(fill?.trade).toMatchObject({ price: fx('49900'), quantity: fx('0.002'), commissionAsset: 'BTC', isMaker: true });
      expect(fill?.trade?.commission).toBe(fixed.mul(fx('0.002'), FEE, 'halfEven'));
      expect(value(await gw.getOrder(SYMBOL, cid))).toMatchObject({ status: 'FILLED' });
      expect((await holding('BTC')).free - before.free).toBe(fx('0.002') - fx('0.000002'));
    });

    it("lists an order's trades oldest first, with cumulative quantities as the stream reported them", async () => {
      const cid = id('trades');
      value(await gw.placeOrder(limit('BUY', fx('49900'), fx('0.003'), cid)));
      expect(value(await gw.orderTrades(SYMBOL, cid))).toEqual([]);
      await h.trade(SYMBOL, fx('49899.99'), fx('0.001'));
      await h.trade(SYMBOL, fx('49899.98'), fx('1'));
      await settle();
      const heard = rec.of(cid).filter((r) => r.trade !== undefined);
      const trades = value(await gw.orderTrades(SYMBOL, cid));
      expect(trades.map((r) => [r.status, r.cumQty, r.cumQuote])).toEqual([
        ['PARTIALLY_FILLED', fx('0.001'), fx('49.9')],
        ['FILLED', fx('0.003'), fx('149.7')],
      ]);
      expect(trades.map((r) => r.trade)).toEqual(heard.map((r) => r.trade));
      expect(trades.map((r) => r.cumQuote)).toEqual(heard.map((r) => r.cumQuote));
      for (const r of trades)
        expect(r).toMatchObject({
          clientOrderId: cid,
          symbol: SYMBOL,
          side: 'BUY',
          origQty: fx('0.003'),
          exchangeOrderId: heard[0]?.exchangeOrderId,
        });
      expect(trades[0]?.trade).toMatchObject({
        price: fx('49900'),
        quantity: fx('0.001'),
        commission: fx('0.000001'),
        commissionAsset: 'BTC',
        isMaker: true,
      });
      expect(value(await gw.orderTrades(SYMBOL, id('ghost')))).toEqual([]);
    });

    it('fills a MARKET order at once as taker', async () => {
      const cid = id('market');
      const ack = value(await gw.placeOrder({ clientOrderId: cid, symbol: SYMBOL, side: 'BUY', type: 'MARKET', quantity: fx('0.001') }));
      expect(ack).toMatchObject({ clientOrderId: cid, type: 'MARKET' });
      await settle();
      const statuses = rec.of(cid).map((r) => r.status);
      expect(statuses.at(-1)).toBe('FILLED');
      expect(rec.of(cid).at(-1)?.trade).toMatchObject({ price: MARKET, isMaker: false, commissionAsset: 'BTC' });
    });

    it('rejects filter failures, naming the filter', async () => {
      const e = failure(await gw.placeOrder(limit('BUY', fx('49000.001'), fx('0.001'), id('tick'))));
      expect(e).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1013' });
      expect(e.message).toContain('PRICE_FILTER');
      const lot = failure(await gw.placeOrder(limit('BUY', fx('49000'), fx('0.0000015'), id('lot'))));
      expect(lot).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1013' });
      expect(lot.message).toContain('LOT_SIZE');
      const small = failure(await gw.placeOrder(limit('BUY', fx('49000'), fx('0.00001'), id('notional')))); // 0.49 USDT
      expect(small).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1013' });
      expect(small.message).toContain('NOTIONAL');
      const far = failure(await gw.placeOrder(limit('SELL', fx('300000'), fx('0.001'), id('band')))); // 6x the last trade
      expect(far).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1013' });
      expect(far.message).toContain('PERCENT_PRICE_BY_SIDE');
      const huge = failure(
        await gw.placeOrder({ clientOrderId: id('mlot'), symbol: SYMBOL, side: 'BUY', type: 'MARKET', quantity: fx('101') }),
      );
      expect(huge).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1013' });
      expect(huge.message).toContain('MARKET_LOT_SIZE');
      // MAX_NUM_ORDERS needs 200 open orders, four times Binance's 50-orders-per-10-s rate: the matching tests cover it.
    });

    it('rejects what the account cannot pay for, an unknown symbol, and a duplicate open client id', async () => {
      const rich = failure(await gw.placeOrder(limit('BUY', fx('49000'), fx('80'), id('rich'))));
      expect(rich).toMatchObject({
        kind: 'rejected',
        code: 'BINANCE_-2010',
        message: 'Account has insufficient balance for requested action.',
      });
      const sym = failure(await gw.placeOrder({ ...limit('BUY', fx('1'), fx('1'), id('sym')), symbol: 'NOPEUSDT' }));
      expect(sym).toMatchObject({ kind: 'rejected', code: 'BINANCE_-1121' });
      const cid = id('dup');
      value(await gw.placeOrder(limit('BUY', fx('47000'), fx('0.001'), cid)));
      const dup = failure(await gw.placeOrder(limit('BUY', fx('46000'), fx('0.001'), cid)));
      // Not a refusal to forget: an order under that id is live, perhaps the bot's own earlier attempt. Settle by asking.
      expect(dup).toMatchObject({ kind: 'unknown', code: 'BINANCE_-2010', message: 'Duplicate order sent.' });
    });

    it('answers unknown orders: cancel is rejected (-2011), a query is undefined', async () => {
      expect(failure(await gw.cancelOrder(SYMBOL, id('ghost')))).toMatchObject({ kind: 'rejected', code: 'BINANCE_-2011' });
      expect(value(await gw.getOrder(SYMBOL, id('ghost')))).toBeUndefined();
    });

    it('stops reporting to a listener that unsubscribed', async () => {
      const late = new Recorder();
      const stop = gw.subscribe(late);
      stop();
      value(await gw.placeOrder(limit('BUY', fx('45000'), fx('0.001'), id('quiet'))));
      await settle();
      expect(late.reports).toEqual([]);
      expect(rec.reports.length).toBeGreaterThan(0);
    });
  });
}
