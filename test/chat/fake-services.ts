import { type Balance, type Result, type TradingState, failure, fixed, fx, ok } from '../../src/domain/index.js';
import type { GridParams, GridPreview, GridStartReport, GridSummary, LadderLevel } from '../../src/strategy/index.js';
import type {
  DeadmanView,
  GridPnlView,
  GridView,
  KillAck,
  LimitsView,
  OrderView,
  PnlView,
  PositionView,
  StatusView,
  SymbolView,
  TradingServices,
} from '../../src/chat/index.js';

const REFERENCE = fx('95000');

/** A plausible ladder around 95000 (not the strategy's maths; only the chat's view of it is under test). */
export function fakePreview(params: GridParams): GridPreview {
  const levels: LadderLevel[] = [];
  const step = fixed.mul(REFERENCE, fixed.percent(params.spacingPct), 'floor');
  for (let i = -params.levels; i <= params.levels; i++) {
    if (i === 0) continue;
    const price = REFERENCE + BigInt(i) * step;
    const quantity = fixed.roundTo(fixed.div(params.amountQuote, price, 'floor'), fx('0.00001'), 'floor');
    levels.push({ index: i, side: i < 0 ? 'BUY' : 'SELL', price, quantity, notional: fixed.mul(price, quantity, 'floor') });
  }
  const buys = levels.filter((l) => l.side === 'BUY');
  const sells = levels.filter((l) => l.side === 'SELL');
  const quoteForBuys = buys.reduce((s, l) => s + l.notional, 0n);
  const baseForSells = sells.reduce((s, l) => s + l.quantity, 0n);
  const estimatedQuote = fixed.mul(baseForSells, REFERENCE, 'ceil');
  return {
    params,
    referencePrice: REFERENCE,
    baseAsset: 'BTC',
    quoteAsset: 'USDT',
    levels,
    quoteForBuys,
    baseForSells,
    marketBuy: { quantity: baseForSells, estimatedQuote },
    quoteNeeded: quoteForBuys + estimatedQuote,
    profitPerGrid: { minPct: fx('0.2975'), maxPct: fx('0.3'), minQuote: fx('0.0744'), maxQuote: fx('0.075') },
    makerFee: fx('0.001'),
    warnings: [],
  };
}

export function gridSummary(over: Partial<GridSummary> = {}): GridSummary {
  return {
    gridId: 'G1',
    symbol: 'BTCUSDT',
    status: 'running',
    params: { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), amountQuote: fx('25'), spacing: 'arithmetic' },
    openOrders: 20,
    roundTrips: 3,
    profit: fx('1.23'),
    startedAt: Date.UTC(2025, 0, 31, 14, 5),
    ...over,
  };
}

/** G1's figures, with more decimals than a chat line shows, so the rounding is seen. */
const G1_PNL: GridPnlView = {
  gridProfit: fx('1.23'),
  floatingPnl: fx('-0.45678912'),
  totalPnl: fx('0.77321088'),
  aprPct: fx('45.12345678'),
  investment: fx('500'),
  startPrice: fx('95000'),
  base: fx('0.00521'),
  mark: fx('94611.33000025'),
};

/** A TradingServices that records what the chat asked of it and answers from plain fields tests can set. */
export class FakeServices implements TradingServices {
  readonly quoteAsset = 'USDT';
  readonly defaults = { gridAmountQuote: fx('20') };
  readonly calls: string[] = [];
  previews: GridParams[] = [];
  started: GridPreview[] = [];
  stopped: string[] = [];
  gridList: GridView[] = [
    { ...gridSummary(), pnl: G1_PNL },
    gridSummary({ gridId: 'G2', symbol: 'ETHUSDT', status: 'stopped', stopReason: 'user' }),
  ];
  positionList: PositionView[] = [
    {
      symbol: 'BTCUSDT',
      quantity: fx('0.0025'),
      avgCost: fx('94525'),
      lastPrice: fx('95000'),
      realizedPnl: fx('0'),
      unrealizedPnl: fx('1.1875'),
      fees: fx('0.24'),
    },
  ];
  orderList: OrderView[] = [
    {
      clientOrderId: 'tg_G1_1_B-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('94525'),
      quantity: fx('0.00026'),
      filledQty: fx('0'),
      status: 'accepted',
      gridId: 'G1',
    },
    {
      clientOrderId: 'tg_G1_2_S1',
      symbol: 'BTCUSDT',
      side: 'SELL',
      type: 'LIMIT',
      price: fx('95475'),
      quantity: fx('0.00026'),
      filledQty: fx('0.0001'),
      status: 'partially_filled',
      gridId: 'G1',
    },
    {
      clientOrderId: 'tg_G3_1_B-1',
      symbol: 'ETHUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('3383'),
      quantity: fx('0.0074'),
      filledQty: fx('0'),
      status: 'accepted',
      gridId: 'G3',
    },
  ];
  balanceList: Balance[] = [
    { asset: 'BTC', free: fx('0.0025'), locked: fx('0.0026') },
    { asset: 'USDT', free: fx('750.5'), locked: fx('249.5') },
    { asset: 'ETH', free: fx('0'), locked: fx('0') },
  ];
  tradingState: TradingState = 'ACTIVE';
  previewFailure: Result<never> | undefined;
  /** What a kill answers at once (its receipt goes to the notifier, which the fake has not got). */
  killAck: KillAck = { orders: 3, symbols: 1, receiptWithinMs: 10_000, redisDown: false, flatten: false };
  /** The options of each kill, in order. */
  readonly kills: { readonly flatten: boolean }[] = [];
  private nextGrid = 3;

  instrumentOf(symbol: string): SymbolView | undefined {
    // BTCUSDT's and ETHUSDT's exchange steps, so chat lines round as they do against the venue.
    const steps: Record<string, SymbolView> = {
      BTCUSDT: { symbol, baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: fx('0.01'), stepSize: fx('0.00001') },
      ETHUSDT: { symbol, baseAsset: 'ETH', quoteAsset: 'USDT', tickSize: fx('0.01'), stepSize: fx('0.0001') },
    };
    return steps[symbol];
  }

  symbols(): readonly string[] {
    return ['BTCUSDT', 'ETHUSDT'];
  }
  async previewGrid(params: GridParams): Promise<Result<GridPreview>> {
    this.calls.push('previewGrid');
    this.previews.push(params);
    return this.previewFailure ?? ok(fakePreview(params));
  }
  async startGrid(preview: GridPreview): Promise<Result<GridStartReport>> {
    this.calls.push('startGrid');
    this.started.push(preview);
    const requested = preview.levels.length;
    return ok({ gridId: `G${this.nextGrid++}`, requested, placed: requested, waiting: 0, refused: [] });
  }
  async stopGrid(gridId: string): Promise<Result<{ readonly gridId: string; readonly canceled: number }>> {
    this.calls.push('stopGrid');
    this.stopped.push(gridId);
    return ok({ gridId, canceled: 20 });
  }
  grids(): readonly GridView[] {
    return this.gridList;
  }
  positions(): readonly PositionView[] {
    return this.positionList;
  }
  pnl(): PnlView {
    return {
      realized: fx('1.23'),
      unrealized: fx('-0.5'),
      fees: fx('0.31'),
      today: fx('0.42'),
      grids: [{ gridId: 'G1', symbol: 'BTCUSDT', roundTrips: 3, profit: fx('1.23'), pnl: G1_PNL }],
      feesByAsset: [
        { asset: 'BNB', amount: fx('0.0004'), valueQuote: fx('0.26'), unvalued: fx('0') },
        { asset: 'USDT', amount: fx('0.05'), valueQuote: fx('0.05'), unvalued: fx('0') },
      ],
    };
  }
  balances(): readonly Balance[] {
    return this.balanceList;
  }
  openOrders(): readonly OrderView[] {
    return this.orderList;
  }
  status(): StatusView {
    return {
      mode: 'paper',
      venue: 'sandbox',
      tradingState: this.tradingState,
      uptimeMs: 3_725_000,
      markets: [{ symbol: 'BTCUSDT', lastPrice: fx('95000'), lastTickAgeMs: 1200 }, { symbol: 'ETHUSDT' }],
      gridsRunning: 1,
      openOrders: this.orderList.length,
    };
  }
  async kill(options: { readonly flatten: boolean }): Promise<KillAck> {
    this.calls.push('kill');
    this.kills.push(options);
    this.tradingState = 'HALTED';
    return { ...this.killAck, flatten: options.flatten };
  }
  resume(): Result<{ readonly from: TradingState; readonly to: TradingState }> {
    this.calls.push('resume');
    if (this.tradingState === 'ACTIVE') return failure('NOT_HALTED', 'Trading is not halted.');
    const from = this.tradingState;
    this.tradingState = 'ACTIVE';
    return ok({ from, to: 'ACTIVE' });
  }
  /** The dead-man's switch as a bot with a 20 s lease sees it: off, no watchdog. */
  deadmanView: DeadmanView = { afterSeconds: 0, source: 'setting', minSeconds: 20, maxSeconds: 604_800, lastHeartbeatAgeMs: 1_200 };
  deadman(): DeadmanView {
    return this.deadmanView;
  }
  async setDeadman(afterSeconds: number): Promise<Result<DeadmanView>> {
    this.calls.push('setDeadman');
    this.deadmanView = { ...this.deadmanView, afterSeconds, source: 'chat' };
    return ok(this.deadmanView);
  }
  limitsView: LimitsView = {
    rules: [
      { id: 'weight:1m', kind: 'weight', limit: 6000, windowMs: 60_000, used: 42, exchangeSays: 45 },
      { id: 'orders:10s', kind: 'orders', limit: 100, windowMs: 10_000, used: 3 },
    ],
    exchangeSaidAgoMs: 2_000,
    pausedForMs: 0,
    rateLimited: { count: 1, lastAgoMs: 300_000 },
    queues: [
      { name: 'orders-place', waiting: 2, active: 1, oldestAgeMs: 4_000 },
      { name: 'orders-cancel', waiting: 0, active: 0 },
    ],
  };
  async limits(): Promise<LimitsView> {
    this.calls.push('limits');
    return this.limitsView;
  }
}
