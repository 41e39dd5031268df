import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, START, startHarness } from './harness.js';
import { fapi, limitOrder } from './fapi-order-requests.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  h.trade('50000.00');
});

afterEach(async () => {
  await h.close();
});

type Row = Record<string, unknown>;

/** USD-M account, position and configuration endpoints over HTTP (PROTOCOLS-FUTURES A.4). */
describe('USD-M account endpoints', () => {
  it('reports a fresh account: balances, both account versions, positionRisk v2 for every symbol and v3 for none', async () => {
    const balance = {
      accountAlias: 'sandbox',
      asset: 'USDT',
      balance: '10000.00000000',
      crossWalletBalance: '10000.00000000',
      crossUnPnl: '0.00000000',
      availableBalance: '10000.00000000',
      maxWithdrawAmount: '10000.00000000',
      marginAvailable: true,
      updateTime: expect.any(Number) as number,
    };
    expect((await fapi(h, 'GET', '/fapi/v2/balance')).body).toEqual([balance]);
    expect((await fapi(h, 'GET', '/fapi/v3/balance')).body).toEqual([balance]);

    const risk = (await fapi(h, 'GET', '/fapi/v2/positionRisk')).body as unknown as Row[];
    expect(risk.map((r) => [r.symbol, r.positionAmt, r.leverage, r.marginType, r.isAutoAddMargin, r.liquidationPrice])).toEqual([
      ['BTCUSDT', '0.00000', '20', 'cross', 'false', '0.00000000'],
      ['ETHUSDT', '0.0000', '20', 'cross', 'false', '0.00000000'],
    ]);
    expect((await fapi(h, 'GET', '/fapi/v2/positionRisk', { symbol: 'ETHUSDT' })).body).toEqual([risk[1]]);
    expect((await fapi(h, 'GET', '/fapi/v3/positionRisk')).body).toEqual([]);

    const v2 = (await fapi(h, 'GET', '/fapi/v2/account')).body as Row & { positions: Row[]; assets: Row[] };
    expect(v2).toMatchObject({ feeTier: 0, canTrade: true, totalWalletBalance: '10000.00000000', availableBalance: '10000.00000000' });
    expect(v2.positions.map((p) => [p.symbol, p.leverage, p.isolated])).toEqual([
      ['BTCUSDT', '20', false],
      ['ETHUSDT', '20', false],
    ]);
    expect(v2.assets).toEqual([expect.objectContaining({ asset: 'USDT', walletBalance: '10000.00000000', marginAvailable: true })]);
    const v3 = (await fapi(h, 'GET', '/fapi/v3/account')).body as Row & { positions: Row[] };
    expect(v3.positions).toEqual([]);
    expect(v3).not.toHaveProperty('canTrade');
  });

  it('reports the account configuration, position mode and commission rates', async () => {
    expect((await fapi(h, 'GET', '/fapi/v1/accountConfig')).body).toEqual({
      feeTier: 0,
      canTrade: true,
      canDeposit: true,
      canWithdraw: true,
      dualSidePosition: false,
      updateTime: 0,
      multiAssetsMargin: false,
      tradeGroupId: -1,
    });
    const dual = await fapi(h, 'GET', '/fapi/v1/positionSide/dual');
    expect(dual.body).toEqual({ dualSidePosition: false });
    expect(dual.headers.get('x-mbx-used-weight-1m')).toBe('35');
    expect((await fapi(h, 'GET', '/fapi/v1/symbolConfig', { symbol: 'BTCUSDT' })).body).toEqual([
      { symbol: 'BTCUSDT', marginType: 'CROSSED', isAutoAddMargin: 'false', leverage: 20, maxNotionalValue: '100000000' },
    ]);
    expect((await fapi(h, 'GET', '/fapi/v1/symbolConfig')).body).toHaveLength(2);
    expect((await fapi(h, 'GET', '/fapi/v1/commissionRate', { symbol: 'BTCUSDT' })).body).toEqual({
      symbol: 'BTCUSDT',
      makerCommissionRate: '0.0002',
      takerCommissionRate: '0.0005',
    });
    expect((await fapi(h, 'GET', '/fapi/v1/commissionRate')).body.code).toBe(-1102);
  });

  it('reports an open position at the mark in positionRisk, account and balance', async () => {
    await fapi(h, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    h.clock.now = START + 1000;
    h.trade('51000.00');
    const [btc] = (await fapi(h, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as unknown as Row[];
    expect(btc).toMatchObject({
      symbol: 'BTCUSDT',
      positionAmt: '0.01000',
      entryPrice: '50000.00000000',
      markPrice: '51000.00000000',
      unRealizedProfit: '10.00000000',
      notional: '510.00000000',
      leverage: '20',
      marginType: 'cross',
      positionSide: 'BOTH',
    });
    const v3 = (await fapi(h, 'GET', '/fapi/v3/positionRisk')).body as unknown as Row[];
    expect(v3).toEqual([
      expect.objectContaining({ symbol: 'BTCUSDT', positionAmt: '0.01000', initialMargin: '25.50000000', marginAsset: 'USDT', adl: 0 }),
    ]);
    expect(v3[0]).not.toHaveProperty('leverage');
    const [usdt] = (await fapi(h, 'GET', '/fapi/v2/balance')).body as unknown as Row[];
    // The taker commission, 500·0.0005, came off the wallet; the profit is unrealized.
    expect(usdt).toMatchObject({ balance: '9999.75000000', crossUnPnl: '10.00000000' });
    const account = (await fapi(h, 'GET', '/fapi/v3/account')).body as Row & { positions: Row[] };
    expect(account).toMatchObject({
      totalWalletBalance: '9999.75000000',
      totalUnrealizedProfit: '10.00000000',
      totalMarginBalance: '10009.75000000',
    });
    expect(account.positions.map((p) => p.symbol)).toEqual(['BTCUSDT']);
  });

  it('lists a symbol with only an open order as active in v3', async () => {
    await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'));
    expect(
      ((await fapi(h, 'GET', '/fapi/v3/positionRisk')).body as unknown as Row[]).map((r) => [r.symbol, r.positionAmt, r.bidNotional]),
    ).toEqual([['BTCUSDT', '0.00000', '98.00000000']]);
  });

  it('changes leverage and margin type with Binance answers and refusals', async () => {
    expect((await fapi(h, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 10 })).body).toEqual({
      leverage: 10,
      maxNotionalValue: '230000000',
      symbol: 'BTCUSDT',
    });
    expect((await fapi(h, 'GET', '/fapi/v1/symbolConfig', { symbol: 'BTCUSDT' })).body).toEqual([
      expect.objectContaining({ leverage: 10 }),
    ]);
    expect((await fapi(h, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 126 })).body).toEqual({
      code: -4028,
      msg: 'Leverage 126 is not valid',
    });
    expect((await fapi(h, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT' })).body.code).toBe(-1102);

    const success = { code: 200, msg: 'success' };
    expect((await fapi(h, 'POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' })).body).toEqual(success);
    expect((await fapi(h, 'POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' })).body).toEqual({
      code: -4046,
      msg: 'No need to change margin type.',
    });
    expect((await fapi(h, 'POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'isolated' })).body).toEqual({
      code: -1130,
      msg: "Data sent for parameter 'marginType' is not valid.",
    });
    const [btc] = (await fapi(h, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as unknown as Row[];
    expect(btc).toMatchObject({ marginType: 'isolated', leverage: '10', maxNotionalValue: '230000000' });
    await fapi(h, 'POST', '/fapi/v1/order', limitOrder('BUY', '49000', '0.002'));
    expect((await fapi(h, 'POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'CROSSED' })).body).toEqual({
      code: -4047,
      msg: 'Margin type cannot be changed if there exists open orders.',
    });
  });

  it('stays in one-way mode: hedge mode is refused, one-way is already set', async () => {
    const hedge = await fapi(h, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' });
    expect(hedge.status).toBe(400);
    expect(hedge.body.code).toBeLessThan(0);
    expect((await fapi(h, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'false' })).body).toEqual({
      code: -4059,
      msg: 'No need to change position side.',
    });
    expect((await fapi(h, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'yes' })).body.code).toBe(-1130);
    expect((await fapi(h, 'GET', '/fapi/v1/positionSide/dual')).body).toEqual({ dualSidePosition: false });
  });

  it('serves leverage brackets as numbers, one object for one symbol', async () => {
    const one = (await fapi(h, 'GET', '/fapi/v1/leverageBracket', { symbol: 'BTCUSDT' })).body as Row & { brackets: Row[] };
    expect(one.symbol).toBe('BTCUSDT');
    expect(one.brackets[0]).toEqual({
      bracket: 1,
      initialLeverage: 125,
      notionalCap: 50000,
      notionalFloor: 0,
      maintMarginRatio: 0.004,
      cum: 0,
    });
    expect(one.brackets[1]).toEqual({
      bracket: 2,
      initialLeverage: 100,
      notionalCap: 600000,
      notionalFloor: 50000,
      maintMarginRatio: 0.005,
      cum: 50,
    });
    const all = (await fapi(h, 'GET', '/fapi/v1/leverageBracket')).body as unknown as Row[];
    expect(all.map((s) => s.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
  });
});
