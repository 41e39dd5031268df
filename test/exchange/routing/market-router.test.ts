import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type Balance,
  type ExecutionReport,
  type FuturesAccountUpdate,
  type FuturesExecutionReport,
  type FuturesMarginCall,
  SPOT_CATALOG,
  fx,
  venueSymbol,
} from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceGateway } from '../../../src/exchange/binance/index.js';
import { BinanceFuturesGateway } from '../../../src/exchange/binance-futures/index.js';
import type { VenueListener } from '../../../src/exchange/index.js';
import { MarketRouter } from '../../../src/exchange/routing/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';
import { until } from '../../kit/until.js';

const ACCOUNT = { apiKey: 'router-test-key', apiSecret: 'router-test-secret' };
const PERP = 'BTCUSDT.P';

class Recorder implements VenueListener {
  readonly reports: ExecutionReport[] = [];
  readonly balances: Balance[][] = [];
  readonly accounts: FuturesAccountUpdate[] = [];
  readonly liquidations: FuturesExecutionReport[] = [];
  onExecution(report: ExecutionReport): void {
    this.reports.push(report);
  }
  onBalances(balances: readonly Balance[]): void {
    this.balances.push([...balances]);
  }
  onFuturesAccount(update: FuturesAccountUpdate): void {
    this.accounts.push(update);
  }
  onLiquidation(report: FuturesExecutionReport): void {
    this.liquidations.push(report);
  }
  onMarginCall?: (call: FuturesMarginCall) => void;
  of(id: string): ExecutionReport[] {
    return this.reports.filter((r) => r.clientOrderId === id);
  }
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

// The router over the real binance-api-node spot and futures adapters, against the sandbox on loopback (one manual clock).
describe('MarketRouter over the spot and USD-M gateways against the sandbox', () => {
  let clock: ManualClock;
  let hub: SandboxHub;
  let server: SandboxServer;
  let spot: BinanceGateway;
  let futures: BinanceFuturesGateway;
  let router: MarketRouter<BinanceGateway>;
  let tradeId = 0;

  const trade = (symbol: string, price: string, quantity: string) => {
    clock.advance(1);
    hub.trade({
      symbol: venueSymbol(symbol),
      price: fx(price),
      quantity: fx(quantity),
      time: clock.now(),
      tradeId: ++tradeId,
      isBuyerMaker: false,
    });
  };
  const limit = (clientOrderId: string, side: 'BUY' | 'SELL', price: string, quantity: string, symbol = PERP) =>
    router.placeOrder({ clientOrderId, symbol, side, type: 'LIMIT', price: fx(price), quantity: fx(quantity), timeInForce: 'GTC' });

  beforeEach(async () => {
    clock = new ManualClock(1_760_025_300_000);
    hub = new SandboxHub({
      instruments: SPOT_CATALOG.map((e) => e.instrument),
      balances: { USDT: fx('10000') },
      account: ACCOUNT,
      now: () => clock.now(),
      futuresAccount: { walletBalance: fx('10000') },
    });
    server = await startSandboxServer({ hub, port: 0, futuresStreams: { pulseMs: 0, pingIntervalMs: 0 } });
    spot = new BinanceGateway({ ...ACCOUNT, httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi, clock });
    futures = new BinanceFuturesGateway({
      ...ACCOUNT,
      httpFutures: server.httpBase,
      wsFuturesPublic: server.wsFutures,
      wsFuturesMarket: server.wsFutures,
      wsFuturesPrivate: server.wsFutures,
      clock,
    });
    router = new MarketRouter({ spot, futures });
    trade('BTCUSDT', '50000', '0.1');
  });

  afterEach(async () => {
    router.close();
    await server.close();
  });

  async function subscribed(): Promise<Recorder> {
    const rec = new Recorder();
    router.subscribe(rec);
    value(await router.userStreamReady());
    return rec;
  }

  it('lists spot pairs and perpetuals together, and routes by the .P name', async () => {
    const listed = value(await router.instruments()).map((i) => i.symbol);
    expect(listed).toContain('BTCUSDT');
    expect(listed).toContain(PERP);
    const rec = await subscribed();
    const answer = value(await limit('tg_r_1_B1', 'BUY', '49000', '0.010'));
    expect(answer).toMatchObject({ symbol: PERP, status: 'NEW', cumQty: 0n, cumQuote: 0n, type: 'LIMIT' });
    const spotAnswer = value(await limit('tg_r_2_B1', 'BUY', '49000', '0.001', 'BTCUSDT'));
    expect(spotAnswer.symbol).toBe('BTCUSDT');
    expect(value(await futures.openOrders(PERP)).map((o) => o.clientOrderId)).toEqual(['tg_r_1_B1']);
    expect(value(await spot.openOrders('BTCUSDT')).map((o) => o.clientOrderId)).toEqual(['tg_r_2_B1']);
    await until(() => rec.of('tg_r_1_B1').length > 0);
    expect(rec.of('tg_r_1_B1')[0]).toMatchObject({ symbol: PERP, status: 'NEW' });
  });

  it('reports each fill with the exact cumulative quote, the venue realized PnL and the USDT commission', async () => {
    const rec = await subscribed();
    value(await limit('tg_r_1_B1', 'BUY', '49900', '0.010'));
    trade('BTCUSDT', '49800', '0.004');
    trade('BTCUSDT', '49800', '0.020');
    await until(() => rec.of('tg_r_1_B1').some((r) => r.status === 'FILLED'));
    const fills = rec.of('tg_r_1_B1').filter((r) => r.trade);
    expect(fills.map((r) => [r.cumQty, r.cumQuote])).toEqual([
      [fx('0.004'), fx('199.6')],
      [fx('0.01'), fx('499')],
    ]);
    expect(fills[0]!.trade).toMatchObject({ commissionAsset: 'USDT', commission: fx('0.03992'), realizedPnl: 0n, isMaker: true });
    await until(() => rec.accounts.some((a) => a.reason === 'ORDER'));

    value(await limit('tg_r_2_S1', 'SELL', '50100', '0.010'));
    trade('BTCUSDT', '50200', '0.010');
    await until(() => rec.of('tg_r_2_S1').some((r) => r.status === 'FILLED'));
    const close = rec.of('tg_r_2_S1').find((r) => r.trade)!;
    expect(close.trade!.realizedPnl).toBe(fx('2'));
    expect(close.cumQuote).toBe(fx('501'));
  });

  it('asks userTrades for the cumulative quote when it missed the order’s earlier trades', async () => {
    const first = await subscribed();
    value(await limit('tg_r_1_B1', 'BUY', '49900', '0.010'));
    trade('BTCUSDT', '49800', '0.003');
    await until(() => first.of('tg_r_1_B1').some((r) => r.trade));
    // A second router (a restarted process) knows nothing of the first trade.
    const later = new MarketRouter({ spot, futures });
    const rec = new Recorder();
    later.subscribe(rec);
    trade('BTCUSDT', '49800', '0.007');
    await until(() => rec.of('tg_r_1_B1').some((r) => r.status === 'FILLED'));
    const fill = rec.of('tg_r_1_B1').find((r) => r.trade)!;
    expect([fill.cumQty, fill.cumQuote]).toEqual([fx('0.01'), fx('499')]);
  });

  it('cancels a perpetual’s open orders one by one, reporting only what the venue cancelled', async () => {
    await subscribed();
    value(await limit('tg_r_1_B1', 'BUY', '49000', '0.002'));
    value(await limit('tg_r_1_B2', 'BUY', '48000', '0.002'));
    const spotOrder = value(await limit('tg_r_2_B1', 'BUY', '49000', '0.001', 'BTCUSDT'));
    const cancelled = value(await router.cancelAll(PERP));
    expect(cancelled.map((r) => [r.clientOrderId, r.status]).sort()).toEqual([
      ['tg_r_1_B1', 'CANCELED'],
      ['tg_r_1_B2', 'CANCELED'],
    ]);
    expect(value(await router.openOrders(PERP))).toEqual([]);
    expect(value(await router.openOrders()).map((r) => r.clientOrderId)).toEqual([spotOrder.clientOrderId]);
    expect(value(await router.cancelAll(PERP))).toEqual([]);
  });

  it('hands a liquidation to onLiquidation and a margin call to onMarginCall, never a liquidation to onExecution', async () => {
    const rec = await subscribed();
    const margin: unknown[] = [];
    rec.onMarginCall = (call) => void margin.push(call);
    value(await futures.setLeverage(PERP, 20));
    // A long of 0.5 BTC (20 000 USDT) on a 10 000 USDT wallet: a fall of about 19 000 USDT per BTC liquidates it.
    value(await router.placeOrder({ clientOrderId: 'tg_r_1_B1', symbol: PERP, side: 'BUY', type: 'MARKET', quantity: fx('0.5') }));
    await until(() => rec.of('tg_r_1_B1').some((r) => r.status === 'FILLED'));
    trade('BTCUSDT', '20000', '0.01');
    // The liquidation's own ACCOUNT_UPDATE follows the opening fill's.
    await until(() => rec.liquidations.length > 0 && rec.accounts.length >= 2 && margin.length > 0);
    expect(rec.liquidations.every((r) => r.type === 'LIQUIDATION' && r.clientOrderId.startsWith('autoclose-'))).toBe(true);
    expect(rec.reports.some((r) => r.clientOrderId.startsWith('autoclose-'))).toBe(false);
  });

  it('refuses a perpetual when no futures gateway is configured', async () => {
    const spotOnly = new MarketRouter({ spot });
    const r = await spotOnly.placeOrder({ clientOrderId: 'tg_r_9_B1', symbol: PERP, side: 'BUY', type: 'MARKET', quantity: fx('0.001') });
    expect(r.ok ? undefined : r.error.code).toBe('FUTURES_OFF');
    expect(value(await spotOnly.instruments()).some((i) => i.symbol === PERP)).toBe(false);
  });
});
