import {
  type Candle,
  type Fixed,
  type FuturesAccount,
  type FuturesIncome,
  type FuturesMarginType,
  type FuturesPositionRisk,
  type FuturesPremiumIndex,
  type Result,
  type SymbolBrackets,
  ZERO,
  fx,
  ok,
} from '../../src/domain/index.js';
import type { FuturesGateway, FuturesIncomeQuery, GatewayFailure } from '../../src/exchange/index.js';

const fail = (error: GatewayFailure) => Promise.resolve({ ok: false as const, error });
const notServed = (what: string) =>
  fail({ kind: 'rejected', code: 'NOT_SERVED', message: `the fake futures gateway does not serve ${what}` });

/** A USD-M account of 10,000 USDT, cross, flat. */
export function anAccount(wallet = fx('10000')): FuturesAccount {
  return {
    totalWalletBalance: wallet,
    totalUnrealizedProfit: ZERO,
    totalMarginBalance: wallet,
    totalInitialMargin: ZERO,
    totalMaintMargin: ZERO,
    availableBalance: wallet,
    maxWithdrawAmount: wallet,
    assets: [
      {
        asset: 'USDT',
        walletBalance: wallet,
        unrealizedProfit: ZERO,
        marginBalance: wallet,
        crossWalletBalance: wallet,
        availableBalance: wallet,
        maxWithdrawAmount: wallet,
      },
    ],
  };
}

export function aPositionRisk(
  over: Partial<FuturesPositionRisk> & Pick<FuturesPositionRisk, 'symbol' | 'positionAmt' | 'entryPrice'>,
): FuturesPositionRisk {
  return {
    positionSide: 'BOTH',
    breakEvenPrice: over.entryPrice,
    markPrice: over.entryPrice,
    unrealizedPnl: ZERO,
    liquidationPrice: ZERO,
    leverage: 20,
    marginType: 'CROSSED',
    isolatedWallet: ZERO,
    notional: ZERO,
    updateTime: 0,
    ...over,
  };
}

/**
 * The futures port answering from fields a test sets: the book's reads (brackets, positions, account, income, premium
 * index) and the configuration calls (leverage, margin type), each recorded. A field set to a GatewayFailure answers
 * with it. Orders are not served: the tests that place orders use the sandbox.
 */
export class FakeFuturesGateway implements FuturesGateway {
  readonly name = 'fake-futures';
  bracketList: readonly SymbolBrackets[] = [];
  positionList: readonly FuturesPositionRisk[] | GatewayFailure = [];
  accountNow: FuturesAccount | GatewayFailure = anAccount();
  incomeRows: readonly FuturesIncome[] | GatewayFailure = [];
  premium = new Map<string, FuturesPremiumIndex>();
  /** fundingInfo's rows: a perpetual not here settles every 8 h. */
  fundingHours = new Map<string, number>();
  leverageRefusal: GatewayFailure | undefined;
  marginTypeRefusal: GatewayFailure | undefined;
  readonly calls: string[] = [];
  readonly incomeQueries: FuturesIncomeQuery[] = [];

  instruments = () => notServed('instruments');
  placeOrder = () => notServed('orders');
  cancelOrder = () => notServed('orders');
  cancelAll = () => notServed('orders');
  getOrder = () => notServed('orders');
  openOrders = () => notServed('orders');
  orderTrades = () => notServed('orders');
  commissionRate = () => notServed('commission');
  countdownCancelAll = () => notServed('countdown');
  positionMode = () => Promise.resolve(ok('one-way' as const));
  subscribe = () => () => {};

  brackets(): Promise<Result<readonly SymbolBrackets[], GatewayFailure>> {
    return Promise.resolve(ok(this.bracketList));
  }
  positions(): Promise<Result<readonly FuturesPositionRisk[], GatewayFailure>> {
    const p = this.positionList;
    return 'kind' in p ? fail(p) : Promise.resolve(ok(p.filter((x) => x.positionAmt !== ZERO)));
  }
  account(): Promise<Result<FuturesAccount, GatewayFailure>> {
    const a = this.accountNow;
    return 'kind' in a ? fail(a) : Promise.resolve(ok(a));
  }
  income(query: FuturesIncomeQuery = {}): Promise<Result<readonly FuturesIncome[], GatewayFailure>> {
    this.incomeQueries.push(query);
    const rows = this.incomeRows;
    if ('kind' in rows) return fail(rows);
    const inWindow = rows.filter(
      (r) =>
        (query.incomeType === undefined || r.incomeType === query.incomeType) &&
        (query.startTime === undefined || r.time >= query.startTime) &&
        (query.endTime === undefined || r.time <= query.endTime),
    );
    return Promise.resolve(ok(inWindow));
  }
  /** Klines by perpetual; a perpetual not here has none. */
  klines = new Map<string, readonly Candle[]>();
  candles(symbol: string, _interval: string, query: { readonly limit: number }): Promise<Result<readonly Candle[], GatewayFailure>> {
    return Promise.resolve(ok((this.klines.get(symbol) ?? []).slice(-query.limit)));
  }
  fundingIntervals(): Promise<Result<ReadonlyMap<string, number>, GatewayFailure>> {
    return Promise.resolve(ok(this.fundingHours));
  }
  premiumIndex(symbol: string): Promise<Result<FuturesPremiumIndex, GatewayFailure>> {
    const p = this.premium.get(symbol);
    return p ? Promise.resolve(ok(p)) : fail({ kind: 'rejected', code: 'UNKNOWN_SYMBOL', message: `no premium index for ${symbol}` });
  }
  setLeverage(symbol: string, leverage: number): Promise<Result<{ leverage: number; maxNotionalValue: Fixed }, GatewayFailure>> {
    this.calls.push(`setLeverage ${symbol} ${leverage}`);
    const r = this.leverageRefusal;
    return r ? fail(r) : Promise.resolve(ok({ leverage, maxNotionalValue: fx('1000000') }));
  }
  setMarginType(symbol: string, marginType: FuturesMarginType): Promise<Result<void, GatewayFailure>> {
    this.calls.push(`setMarginType ${symbol} ${marginType}`);
    const r = this.marginTypeRefusal;
    return r ? fail(r) : Promise.resolve(ok(undefined));
  }
}

/** A refusal as the gateway classifies it. */
export function refused(code: string, message: string): GatewayFailure {
  return { kind: 'rejected', code, message };
}
