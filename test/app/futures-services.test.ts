import { describe, expect, it } from 'vitest';
import { createTradingServices } from '../../src/app/trading-services.js';
import { buildTradingKernel } from '../../src/app/trading-kernel.js';
import { type Instrument, ZERO, catalogInstrument, fundingWalletChange, fx } from '../../src/domain/index.js';
import { ManualClock, SequentialIds } from '../../src/engine/index.js';
import { PaperGateway } from '../../src/exchange/paper/index.js';
import type { RiskLimits } from '../../src/risk/index.js';
import type { GridParams } from '../../src/strategy/index.js';
import { aTradeTicked } from '../kit/builders.js';
import { FakeFuturesGateway, refused } from '../kit/fake-futures-gateway.js';
import { perpBrackets } from '../portfolio/futures-book-rig.js';
import { until } from '../kit/until.js';

const btc = catalogInstrument('BTCUSDT') as Instrument;
const btcP: Instrument = { ...btc, symbol: 'BTCUSDT.P' };
const NEXT = Date.UTC(2026, 11, 4, 16);

async function setup(o: { futures?: boolean; limits?: RiskLimits } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 11, 4, 12));
  const instruments = o.futures === false ? [btc] : [btc, btcP];
  const gateway = new PaperGateway({
    instruments,
    startingBalances: { USDT: fx('10000') },
    fees: { maker: fx('0.0002'), taker: fx('0.0005') },
    clock,
  });
  const futures = new FakeFuturesGateway();
  futures.bracketList = [perpBrackets()];
  futures.premium.set('BTCUSDT.P', {
    symbol: 'BTCUSDT.P',
    markPrice: fx('95010'),
    indexPrice: fx('95000'),
    fundingRate: fx('0.0001'),
    nextFundingTime: NEXT,
    time: clock.now(),
  });
  const kernel = buildTradingKernel({
    gateway,
    instruments,
    fees: { maker: fx('0.0002'), taker: fx('0.0005') },
    limits: o.limits ?? { maxLeverage: 20, minLiquidationDistancePct: fx('15') },
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined, error: () => undefined },
    ...(o.futures === false ? {} : { futures }),
  });
  await kernel.start();
  for (const symbol of instruments.map((i) => i.symbol))
    kernel.host.bus.publish(aTradeTicked({ symbol, price: fx('95000'), quantity: fx('0.01'), time: clock.now(), tradeId: 1 }));
  const told: string[] = [];
  const kill = { receiptMs: 10_000, tell: (text: string) => void told.push(text) };
  const services = createTradingServices(kernel, { mode: 'paper', gridAmountQuote: fx('100'), wallClock: clock, startedAt: 0, kill });
  return { kernel, services, futures, clock, told };
}

const longGrid = (over: Partial<GridParams['futures'] & object> = {}): GridParams => ({
  symbol: 'BTCUSDT',
  levels: 4,
  spacingPct: fx('0.5'),
  amountQuote: fx('100'),
  spacing: 'arithmetic',
  futures: { mode: 'long', leverage: 5, margin: 'isolated', ...over },
});

describe('trading services on perpetuals', () => {
  it('previews a futures grid on the venue: the perpetual, its brackets, the coming funding rate and the available margin', async () => {
    const { services } = await setup();
    const p = await services.previewGrid(longGrid());
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.value.params.symbol).toBe('BTCUSDT.P');
    const figures =
      'futures' in p.value
        ? (p.value as { futures: { walletBalance: bigint; funding: { rate: bigint; intervalHours: number } } }).futures
        : undefined;
    expect(figures?.walletBalance).toBe(fx('10000'));
    expect(figures?.funding.rate).toBe(fx('0.0001'));
    expect(figures?.funding.intervalHours).toBe(8);
  });

  it("previews funding per the perpetual's own interval when fundingInfo lists one (4 h here), and says so", async () => {
    const { services, futures } = await setup();
    futures.fundingHours.set('BTCUSDT.P', 4);
    const p = await services.previewGrid(longGrid());
    if (!p.ok) throw new Error(p.error.message);
    const figures = (p.value as { futures?: { funding: { intervalHours: number } } }).futures;
    expect(figures?.funding.intervalHours).toBe(4);
  });

  it('refuses leverage over RISK_MAX_LEVERAGE before asking the venue anything', async () => {
    const { services } = await setup({ limits: { maxLeverage: 10 } });
    const p = await services.previewGrid(longGrid({ leverage: 20 }));
    expect(p).toEqual({
      ok: false,
      error: { code: 'MAX_LEVERAGE', message: 'x20 is over your limit RISK_MAX_LEVERAGE=10; use x10 or less' },
    });
  });

  it('starts a futures grid only after the venue took its margin type and leverage, which the book then holds', async () => {
    const { services, futures, kernel } = await setup();
    const p = await services.previewGrid(longGrid());
    if (!p.ok) throw new Error(p.error.message);
    const started = await services.startGrid(p.value);
    expect(futures.calls).toEqual(['setMarginType BTCUSDT.P ISOLATED', 'setLeverage BTCUSDT.P 5']);
    expect(started.ok).toBe(true);
    expect(kernel.futuresBook.leverage('BTCUSDT.P')).toBe(5);
    expect(kernel.futuresBook.positionView('BTCUSDT.P')?.marginType).toBe('ISOLATED');
  });

  it('a venue refusal of the margin type is told plainly and nothing starts', async () => {
    const { services, futures, kernel } = await setup();
    futures.marginTypeRefusal = refused('-4048', 'Margin type cannot be changed if there exists position.');
    const p = await services.previewGrid(longGrid());
    if (!p.ok) throw new Error(p.error.message);
    const started = await services.startGrid(p.value);
    expect(started.ok).toBe(false);
    expect(!started.ok && started.error.message).toBe(
      'the venue refused isolated margin on BTCUSDT.P (-4048: Margin type cannot be changed if there exists position.); ' +
        'Binance changes the margin type only with no open position or order on the symbol. Nothing was placed.',
    );
    expect(kernel.grids.summaries()).toEqual([]);
  });

  it('without a futures venue: FUTURES_SYMBOLS does not include the symbol', async () => {
    const { services } = await setup({ futures: false });
    const p = await services.previewGrid(longGrid());
    expect(!p.ok && p.error.code).toBe('FUTURES_NOT_CONNECTED');
    expect(!p.ok && p.error.message).toContain('FUTURES_SYMBOLS does not include BTCUSDT (set FUTURES_SYMBOLS=BTCUSDT and restart)');
    expect(services.futuresPositions).toBeUndefined();
  });

  it('/funding reads the last mark tick (else premiumIndex) and prices the position at it', async () => {
    const { services, kernel, clock } = await setup();
    const fromIndex = await services.funding?.('BTCUSDT');
    expect(fromIndex).toMatchObject({
      ok: true,
      value: { symbol: 'BTCUSDT.P', rate: fx('0.0001'), nextFundingTime: NEXT, position: ZERO, payment: ZERO },
    });
    const bus = kernel.host.bus;
    bus.publish({
      type: 'MarkPriceTicked',
      symbol: 'BTCUSDT.P',
      markPrice: fx('96000'),
      fundingRate: fx('-0.0002'),
      nextFundingTime: NEXT,
      time: clock.now(),
    });
    kernel.futuresBook.setLeverage('BTCUSDT.P', 5);
    bus.publish({
      type: 'FuturesAccountReported',
      update: {
        reason: 'ADJUSTMENT',
        time: clock.now(),
        balances: [],
        positions: [
          {
            symbol: 'BTCUSDT.P',
            positionSide: 'BOTH',
            positionAmt: fx('0.1'),
            entryPrice: fx('95000'),
            breakEvenPrice: fx('95000'),
            accumulatedRealized: ZERO,
            unrealizedPnl: ZERO,
            marginType: 'CROSSED',
            isolatedWallet: ZERO,
          },
        ],
      },
    });
    const fromMark = await services.funding?.('BTCUSDT.P');
    expect(fromMark).toMatchObject({
      ok: true,
      value: {
        rate: fx('-0.0002'),
        mark: fx('96000'),
        position: fx('0.1'),
        payment: fundingWalletChange(fx('0.1'), fx('96000'), fx('-0.0002')),
      },
    });
    expect((await services.funding?.('ETHUSDT'))?.ok).toBe(false);
  });

  it('/kill flatten closes a perpetual position with a reduce-only market order', async () => {
    const { services, kernel, clock, told } = await setup();
    const bus = kernel.host.bus;
    const intents: { symbol: string; side: string; quantity: bigint; reduceOnly?: boolean }[] = [];
    bus.on('OrderSent', (m) => void intents.push(m.intent));
    bus.on('OrderDenied', (m) => void intents.push(m.intent));
    const short = {
      positionSide: 'BOTH',
      accumulatedRealized: ZERO,
      unrealizedPnl: ZERO,
      marginType: 'CROSSED',
      isolatedWallet: ZERO,
    } as const;
    bus.publish({
      type: 'FuturesAccountReported',
      update: {
        reason: 'ADJUSTMENT',
        time: clock.now(),
        balances: [],
        positions: [{ ...short, symbol: 'BTCUSDT.P', positionAmt: fx('-0.02'), entryPrice: fx('95000'), breakEvenPrice: fx('95000') }],
      },
    });
    await services.kill({ flatten: true });
    await until(() => told.length > 0);
    expect(intents).toEqual([expect.objectContaining({ symbol: 'BTCUSDT.P', side: 'BUY', quantity: fx('0.02'), reduceOnly: true })]);
  });
});
