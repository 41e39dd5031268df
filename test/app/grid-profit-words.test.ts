/**
 * The profit words of /grids and /pnl with figures checked by hand, and a fee paid in BNB valued and shown per asset:
 * the kernel's own tracker, portfolio and services, read back through the chat as typed.
 */
import { describe, expect, it } from 'vitest';
import { buildPaperKernel } from '../../src/app/paper-kernel.js';
import { createTradingServices } from '../../src/app/trading-services.js';
import { Dispatcher } from '../../src/chat/index.js';
import { type Instrument, type OrderFilled, ZERO, catalogInstrument, fx } from '../../src/domain/index.js';
import { ManualClock, SequentialIds } from '../../src/engine/index.js';
import { syntheticTape } from '../../src/sandbox/index.js';
import { aFill, aReport, aRoundTrip, aTrade, aTradeTicked, sentForReport } from '../kit/builders.js';

const btc = catalogInstrument('BTCUSDT') as Instrument;
const bnb = catalogInstrument('BNBUSDT') as Instrument;
const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

async function setup(balances: Record<string, bigint>) {
  const clock = new ManualClock(T0);
  const engine = buildPaperKernel({
    instruments: [btc, bnb],
    balances,
    fees: { maker: fx('0.001'), taker: fx('0.001') },
    limits: {},
    source: syntheticTape({ symbols: [{ instrument: btc, startPrice: fx('100') }], seed: 1, startTime: T0 }),
    clock,
    ids: new SequentialIds(),
    log: { warn: () => undefined, error: () => undefined },
  });
  await engine.start();
  const kill = { receiptMs: 10_000, tell: () => undefined };
  const services = createTradingServices(engine, { mode: 'paper', gridAmountQuote: fx('100'), wallClock: clock, startedAt: T0, kill });
  const dispatcher = new Dispatcher({ services, clock });
  const say = async (text: string) => (await dispatcher.handle('owner', text)).text;
  const bus = engine.host.bus;
  const tick = (symbol: string, price: string) => bus.publish(aTradeTicked({ symbol, price: fx(price), time: clock.now() }));
  return { engine, clock, say, bus, tick };
}

describe('grid profit, floating PnL, total PnL and APR', () => {
  it('are the hand-checked figures in /pnl and /positions, rounded in chat lines and exact on request', async () => {
    const { engine, clock, say, bus, tick } = await setup({ USDT: fx('1000'), BTC: fx('1') });
    tick('BTCUSDT', '100');
    // G1 starts at 100: one buy of 1 at 99 (99 USDT) and one sell of 1 at 101, from the 1 BTC the account holds.
    bus.publish({
      type: 'GridStarted',
      gridId: 'G1',
      symbol: 'BTCUSDT',
      levels: 1,
      orders: 2,
      requested: 2,
      startPrice: fx('100'),
      quoteForBuys: fx('99'),
      baseForSells: fx('1'),
      baseFromHoldings: fx('1'),
    });
    const grid = { symbol: 'BTCUSDT', owner: { kind: 'grid', gridId: 'G1' } } as const;
    const fill = (id: string, side: 'BUY' | 'SELL', price: string, fee: string): OrderFilled =>
      aFill({
        ...grid,
        clientOrderId: id,
        side,
        price: fx(price),
        quantity: fx('1'),
        commission: fx(fee),
        commissionAsset: 'USDT',
        time: clock.now(),
      });
    // The sell at 101 fills, its buy-back at 100 fills (one round trip), and the buy at 99 fills; fees 0.1 % in USDT.
    bus.publish(fill('tg_G1_2_S1', 'SELL', '101', '0.101'));
    bus.publish(fill('tg_G1_3_B0', 'BUY', '100', '0.1'));
    bus.publish(aRoundTrip({ gridId: 'G1', quantity: fx('1'), buyPrice: fx('100'), sellPrice: fx('101'), feesQuote: fx('0.201') }));
    bus.publish(fill('tg_G1_1_B-1', 'BUY', '99', '0.099'));
    clock.set(T0 + 10 * DAY);
    tick('BTCUSDT', '102');

    // By hand: investment = 99 + 1 × 100 = 199. Grid profit = 101 − 100 − 0.201 = 0.799.
    // Flows: −100 (the held coin, at the start price) + 101 − 0.101 − 100 − 0.1 − 99 − 0.099 = −198.3, base 2:
    // total PnL = −198.3 + 2 × 102 = 5.7; floating = 5.7 − 0.799 = 4.901 (the held coin +2, the buy at 99 +3 − 0.099).
    // APR = 5.7 / 199 × 365 / 10 × 100 = 104.547738693… %, half-even to 8 decimals.
    expect(engine.portfolio.gridPnl('G1')).toMatchObject({
      investment: fx('199'),
      gridProfit: fx('0.799'),
      totalPnl: fx('5.7'),
      floatingPnl: fx('4.901'),
      aprPct: fx('104.54773869'),
      base: fx('2'),
    });
    bus.publish({ type: 'BalancesReported', balances: [{ asset: 'BTC', free: fx('2'), locked: ZERO }], time: clock.now() });

    // The account's books: the held coin entered at 100, sold at 101 (+1 realized, not a loss); 2 bought at 99.50 avg.
    expect(await say('/pnl')).toBe(
      [
        'Profit and loss (USDT):',
        '  realized:   +1.00',
        '  unrealized: +5.00',
        '  fees paid:  0.30',
        '  today:      +5.00',
        'Fees by asset:',
        '  USDT 0.30',
        'Grids:',
        '  G1 BTCUSDT · 1 round trip · grid profit +0.799 · floating PnL +4.90 · total PnL +5.70 · APR +104.55 % on 199.00 USDT invested',
      ].join('\n'),
    );
    expect(await say('/pnl detail')).toBe(
      [
        'Profit and loss (USDT), exact:',
        '  realized:   +1',
        '  unrealized: +5',
        '  fees paid:  0.3',
        '  today:      +5',
        'Fees by asset:',
        '  USDT 0.3',
        'Grids:',
        '  G1 BTCUSDT · 1 round trip · grid profit +0.799' +
          ' · floating PnL +4.901 · total PnL +5.7 · APR +104.54773869 % on 199 USDT invested',
      ].join('\n'),
    );
    expect(await say('/positions')).toBe(
      'Positions:\n  BTCUSDT 2.00000 @ avg 99.50 · last 102.00 · unrealized +5.00 · realized +1.00 · fees 0.30 USDT · ' +
        'account holds 2.00000 BTC, G1 manages 2.00000',
    );
  });
});

describe('a fee paid in BNB', () => {
  it('is valued at BNBUSDT when that market has traded, said plainly when not, and shown per asset in /pnl', async () => {
    const { say, bus, tick, clock } = await setup({ USDT: fx('1000') });
    const fills: OrderFilled[] = [];
    bus.on('OrderFilled', (f) => void fills.push(f));
    tick('BTCUSDT', '95000');
    const trade = (id: number) => aTrade(id, '0.001', { commission: fx('0.00012'), commissionAsset: 'BNB' });
    const first = aReport({
      clientOrderId: 'tg_M1_B',
      status: 'PARTIALLY_FILLED',
      cumQty: fx('0.001'),
      cumQuote: fx('95'),
      trade: trade(1),
    });
    bus.publish(sentForReport(first));
    // No BNB market has traded yet: this fee cannot be valued, and is not counted as zero.
    bus.publish({ type: 'OrderReported', report: { ...first, time: clock.now() } });
    tick('BNBUSDT', '600');
    const second = { ...first, status: 'FILLED' as const, cumQty: fx('0.002'), cumQuote: fx('190'), trade: trade(2) };
    bus.publish({ type: 'OrderReported', report: { ...second, time: clock.now() } });

    // The tracker values the second at 0.00012 × 600 = 0.072 USDT; the first stays unvalued.
    expect(fills.map((f) => f.feeQuote)).toEqual([ZERO, fx('0.072')]);
    const pnl = await say('/pnl');
    expect(pnl).toContain('  fees paid:  0.072\n');
    expect(pnl).toContain('Fees by asset:\n  BNB 0.00024: 0.00012 = 0.072 USDT; 0.00012 not valued (no BNBUSDT price seen then)');
  });

  it("is never counted as zero in a grid's figures: one no market valued is named beside them", async () => {
    const { say, bus, tick, clock, engine } = await setup({ USDT: fx('1000') });
    tick('BTCUSDT', '100');
    bus.publish({
      type: 'GridStarted',
      gridId: 'G1',
      symbol: 'BTCUSDT',
      levels: 1,
      orders: 1,
      requested: 1,
      startPrice: fx('100'),
      quoteForBuys: fx('99'),
      baseForSells: ZERO,
      baseFromHoldings: ZERO,
    });
    const owner = { kind: 'grid', gridId: 'G1' } as const;
    const base = { symbol: 'BTCUSDT', owner, side: 'BUY', price: fx('99'), quantity: fx('1'), time: clock.now() } as const;
    bus.publish(aFill({ ...base, clientOrderId: 'tg_G1_1_B-1', commission: fx('0.00012'), commissionAsset: 'BNB' }));
    tick('BNBUSDT', '600');
    bus.publish(aFill({ ...base, clientOrderId: 'tg_G1_2_B-1', commission: fx('0.0001'), commissionAsset: 'BNB', feeQuote: fx('0.06') }));
    expect(engine.portfolio.gridPnl('G1')?.unvaluedFees).toEqual([{ asset: 'BNB', amount: fx('0.00012') }]);
    expect(await say('/pnl')).toContain('(fees of 0.00012 BNB not valued: not in these figures)');
    // Kept across a restart with the rest of the grid's books.
    const state = engine.portfolio.exportState();
    expect(state.grids[0]?.unvaluedFees).toEqual([{ asset: 'BNB', amount: fx('0.00012') }]);
  });

  it('is valued through a cross when there is no direct market', async () => {
    const { assetPriceIn } = await import('../../src/domain/index.js');
    const bnbBtc = { ...bnb, symbol: 'BNBBTC', quoteAsset: 'BTC' };
    const last: Record<string, bigint> = { BNBBTC: fx('0.0065'), BTCUSDT: fx('95000') };
    expect(assetPriceIn('BNB', 'USDT', [btc, bnbBtc], (s) => last[s])).toBe(fx('617.5'));
    expect(assetPriceIn('BNB', 'USDT', [btc], (s) => last[s])).toBeUndefined();
    expect(assetPriceIn('USDT', 'USDT', [], () => undefined)).toBe(fx('1'));
  });
});
