import { describe, expect, it } from 'vitest';
import { buildPaperKernel } from '../../src/app/paper-kernel.js';
import { createTradingServices } from '../../src/app/trading-services.js';
import { type Instrument, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock, SequentialIds } from '../../src/engine/index.js';
import { syntheticTape } from '../../src/sandbox/index.js';
import { until } from '../kit/until.js';

const btc = catalogInstrument('BTCUSDT') as Instrument;

async function setup(limits = {}) {
  const clock = new ManualClock(0);
  const engine = buildPaperKernel({
    instruments: [btc],
    balances: { USDT: fx('10000'), BTC: fx('1') },
    fees: { maker: fx('0.001'), taker: fx('0.001') },
    limits,
    source: syntheticTape({ symbols: [{ instrument: btc, startPrice: fx('95000') }], seed: 3, startTime: 1_000 }),
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined, error: () => undefined },
  });
  await engine.start();
  engine.pump.pump(20);
  const told: string[] = [];
  const kill = { receiptMs: 10_000, tell: (text: string) => void told.push(text) };
  const services = createTradingServices(engine, { mode: 'paper', gridAmountQuote: fx('100'), wallClock: clock, startedAt: 0, kill });
  return { engine, services, told };
}

describe('trading services', () => {
  it('kill cancels bot orders the exchange has but this process does not know, and leaves others alone', async () => {
    const { engine, services, told } = await setup();
    // Left on the exchange by an earlier run (bot prefix), and one the owner placed by hand in Binance's app.
    await engine.gateway.placeOrder({
      clientOrderId: 'tg_G9_4_B-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('90000'),
      quantity: fx('0.001'),
      timeInForce: 'GTC',
    });
    await engine.gateway.placeOrder({
      clientOrderId: 'web_owner_1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('89000'),
      quantity: fx('0.001'),
      timeInForce: 'GTC',
    });
    const ack = await services.kill({ flatten: false });
    // It did not know the order: the ack counts none, the sweep finds it.
    expect(ack).toEqual({ orders: 0, symbols: 0, receiptWithinMs: 10_000, redisDown: false, flatten: false });
    await until(() => told.length === 1);
    expect(told[0]).toContain('Orders cancelled: 1\n  tg_G9_4_B-1 BTCUSDT\nQueued placements dropped: 0\n');
    const left = await engine.gateway.openOrders();
    expect(left.ok && left.value.map((o) => o.clientOrderId)).toEqual(['web_owner_1']);
    expect(engine.tradingState.state()).toBe('HALTED');
    expect(services.resume()).toEqual({ ok: true, value: { from: 'HALTED', to: 'ACTIVE' } });
  });

  it('warns in the preview about orders the risk limits would refuse', async () => {
    const { services } = await setup({ maxOpenOrdersPerSymbol: 10, maxOrderNotional: fx('150') });
    const preview = await services.previewGrid({
      symbol: 'BTCUSDT',
      levels: 8,
      spacingPct: fx('0.5'),
      amountQuote: fx('200'),
      spacing: 'arithmetic',
    });
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    const messages = preview.value.warnings.filter((w) => w.code === 'RISK_LIMIT').map((w) => w.message);
    expect(messages.some((m) => m.includes('RISK_MAX_OPEN_ORDERS_PER_SYMBOL=10'))).toBe(true);
    expect(messages.some((m) => m.includes('RISK_MAX_ORDER_NOTIONAL=150'))).toBe(true);
  });

  it('refuses a preview with no placeable level, saying why', async () => {
    const { services } = await setup();
    const preview = await services.previewGrid({
      symbol: 'BTCUSDT',
      levels: 3,
      spacingPct: fx('0.5'),
      amountQuote: fx('1'),
      spacing: 'arithmetic',
    });
    expect(preview.ok).toBe(false);
    if (!preview.ok) expect(preview.error.message).toMatch(/no level of this grid can be placed.*minimum order size \(5 USDT/);
  });
});
