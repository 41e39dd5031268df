import { basisPoints, commissionRatesJson, d8, tradeJson } from './binance-shapes.js';
import { type Handler, reply } from './rest-context.js';
import { INVALID_SYMBOL, invalidValue, isRestError } from './rest-error.js';

export const account: Handler = (ctx, p) => {
  const omitZero = p.get('omitZeroBalances') === 'true';
  const balances = ctx.hub.engine
    .balances()
    .filter((b) => !omitZero || b.free !== 0n || b.locked !== 0n)
    .map((b) => ({ asset: b.asset, free: d8(b.free), locked: d8(b.locked) }));
  return reply({
    makerCommission: basisPoints(ctx.fees.maker),
    takerCommission: basisPoints(ctx.fees.taker),
    buyerCommission: 0,
    sellerCommission: 0,
    commissionRates: commissionRatesJson(ctx.fees),
    canTrade: true,
    canWithdraw: true,
    canDeposit: true,
    brokered: false,
    requireSelfTradePrevention: false,
    preventSor: false,
    updateTime: ctx.hub.now(),
    accountType: 'SPOT',
    balances,
    permissions: ['SPOT'],
    uid: 1,
  });
};

export const myTrades: Handler = (ctx, p) => {
  const symbol = p.required('symbol');
  if (isRestError(symbol)) return symbol;
  if (!ctx.instruments.has(symbol)) return INVALID_SYMBOL;
  const nums: Record<'orderId' | 'fromId' | 'startTime' | 'endTime' | 'limit', number | undefined> = {
    orderId: undefined,
    fromId: undefined,
    startTime: undefined,
    endTime: undefined,
    limit: undefined,
  };
  for (const k of Object.keys(nums) as (keyof typeof nums)[]) {
    const v = p.integer(k);
    if (isRestError(v)) return v;
    nums[k] = v;
  }
  const limit = nums.limit ?? 500;
  if (limit < 1 || limit > 1000) return invalidValue('limit');
  const { orderId, fromId, startTime, endTime } = nums;
  return reply(ctx.history.query({ symbol, orderId, fromId, startTime, endTime, limit }).map(tradeJson));
};

export const rateLimitOrder: Handler = (ctx) => {
  const c = ctx.limiter.orderCounts(ctx.hub.now());
  const l = ctx.limiter.limits;
  return reply([
    { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: l.ordersPer10s, count: c.tenSeconds },
    { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: l.ordersPerDay, count: c.day },
  ]);
};

/** GET /sapi/v1/account/apiRestrictions: what the account's one key may do, as configured on the REST API. */
export const apiRestrictions: Handler = (ctx) => {
  const r = ctx.apiRestrictions;
  // Binance's field order, createTime second.
  return reply({
    ipRestrict: r.ipRestrict,
    createTime: r.createTime,
    enableReading: r.enableReading,
    enableSpotAndMarginTrading: r.enableSpotAndMarginTrading,
    enableWithdrawals: r.enableWithdrawals,
    enableInternalTransfer: r.enableInternalTransfer,
    enableMargin: r.enableMargin,
    enableFutures: r.enableFutures,
    permitsUniversalTransfer: r.permitsUniversalTransfer,
    enableVanillaOptions: r.enableVanillaOptions,
    enableFixApiTrade: r.enableFixApiTrade,
    enableFixReadOnly: r.enableFixReadOnly,
    enablePortfolioMarginTrading: r.enablePortfolioMarginTrading,
  });
};
