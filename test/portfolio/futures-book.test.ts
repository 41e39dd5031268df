import { describe, expect, it } from 'vitest';
import {
  FLAT_POSITION,
  type FuturesPosition,
  ZERO,
  applyFill,
  breakEvenPrice,
  fundingWalletChange,
  fx,
  liquidationPrice,
  orderMargin,
  unrealizedPnl,
} from '../../src/domain/index.js';
import { encodeJson } from '../../src/domain/json.js';
import { futuresBookState } from '../../src/store/schemas/index.js';
import { parseStored } from '../../src/store/state-reader.js';
import { FakeFuturesGateway, aPositionRisk, anAccount, refused } from '../kit/fake-futures-gateway.js';
import { anOrderSent } from '../kit/builders.js';
import { PERP, futuresBookRig, perpBrackets } from './futures-book-rig.js';

/** The domain's netting over the same fills, for the book to equal to the unit. */
function domainChain(fills: readonly (readonly [side: 'BUY' | 'SELL', qty: string, price: string, fee: string])[]) {
  let position: FuturesPosition = FLAT_POSITION;
  let realized = ZERO;
  for (const [side, qty, price, fee] of fills) {
    const r = applyFill(position, side, fx(qty), fx(price), fx(fee));
    position = r.position;
    realized += r.realizedPnl;
  }
  return { position, realized };
}

describe("FuturesBook: the bot's fills", () => {
  const fills = [
    ['BUY', '0.010', '95000', '0.19'],
    ['BUY', '0.005', '94000.1', '0.094001'],
    ['SELL', '0.008', '96000', '0.1536'],
    ['SELL', '0.010', '97000', '0.485'],
  ] as const;

  it('nets every fill through the domain: position, entry, break-even and pre-fee realized PnL exact, fees apart', () => {
    const { book, fill, changes } = futuresBookRig();
    for (const [side, qty, price, fee] of fills) fill(side, qty, price, fee);
    const want = domainChain(fills);
    const v = book.positionView(PERP);
    expect(v?.amount).toBe(fx('-0.003')); // flipped short through zero
    expect(book.position(PERP)).toEqual(want.position);
    expect(v?.realizedPnl).toBe(want.realized);
    expect(v?.fees).toBe(fx('0.922601'));
    expect(v?.breakEvenPrice).toBe(breakEvenPrice(want.position));
    expect(changes.map((c) => [c.cause, c.amount])).toEqual([
      ['fill', fx('0.01')],
      ['fill', fx('0.015')],
      ['fill', fx('0.007')],
      ['fill', fx('-0.003')],
    ]);
  });

  it('leaves spot symbols to the spot portfolio', () => {
    const { book, fill } = futuresBookRig();
    fill('BUY', '1', '100', '0.1', 'BTCUSDT');
    expect(book.positions()).toEqual([]);
  });

  it("values at the mark: uPnL and the liquidation price are the domain's, against the cross wallet", () => {
    const { book, fill, mark, account } = futuresBookRig();
    account('ORDER', '1000', [{ amount: '0.1', entry: '95000' }]);
    fill('BUY', '0.1', '95000', '1.9');
    mark('94000');
    const v = book.positionView(PERP);
    expect(v?.unrealizedPnl).toBe(unrealizedPnl(fx('0.1'), fx('95000'), fx('94000')));
    const lp = liquidationPrice(fx('0.1'), fx('9500'), perpBrackets(), {
      mode: 'cross',
      wallet: fx('1000'),
      otherMaintenance: ZERO,
      otherUnrealizedPnl: ZERO,
    });
    expect(v?.liquidationPrice).toBe(lp?.price);
    expect(v?.liquidationDistancePct).toBeGreaterThan(ZERO);
  });
});

describe('FuturesBook: the venue is the truth', () => {
  it("a fill's ACCOUNT_UPDATE (sent before the fill) is explained by the fill: nothing adopted", () => {
    const { book, fill, account, mark, changes } = futuresBookRig();
    account('ORDER', '10000', [{ amount: '0.01', entry: '95000' }]);
    fill('BUY', '0.01', '95000', '0.19');
    mark('95000');
    mark('95001');
    expect(changes.map((c) => c.cause)).toEqual(['fill']);
    expect(book.positionView(PERP)?.amount).toBe(fx('0.01'));
  });

  it('a position no bot fill explains (an order placed by hand) is adopted after two mark ticks, and said', () => {
    const { book, account, mark, changes } = futuresBookRig();
    account('ORDER', '10000', [{ amount: '0.02', entry: '95000', bep: '95047.5' }]);
    mark('95000');
    expect(changes).toEqual([]);
    mark('95010');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ cause: 'venue', amount: fx('0.02'), entryPrice: fx('95000'), breakEvenPrice: fx('95047.5') });
    expect(changes[0]?.note).toContain('0 → 0.02');
    expect(book.position(PERP).amount).toBe(fx('0.02'));
  });

  it("a second account update while the first is unexplained adopts the first, then follows the bot's fill", () => {
    const { book, account, fill, changes } = futuresBookRig();
    account('ORDER', '10000', [{ amount: '0.02', entry: '95000' }]); // by hand
    account('ORDER', '10000', [{ amount: '0.03', entry: '95000' }]); // the bot's, its fill follows
    fill('BUY', '0.01', '95000', '0.19');
    expect(changes.map((c) => [c.cause, c.amount])).toEqual([
      ['venue', fx('0.02')],
      ['fill', fx('0.03')],
    ]);
    expect(book.position(PERP).amount).toBe(fx('0.03'));
  });

  it("a liquidation books the venue's LIQUIDATION fill (loss and fee) and says so; the account update agrees", () => {
    const { book, fill, account, liquidated, changes } = futuresBookRig();
    fill('BUY', '0.1', '95000', '1.9');
    account('ORDER', '400', [{ amount: '0', entry: '0' }]);
    const want = applyFill(book.position(PERP), 'SELL', fx('0.1'), fx('90500'), fx('4.525'));
    liquidated('SELL', '0.1', '90500', '4.525', want.realizedPnl);
    const v = book.positionView(PERP);
    expect(v?.amount).toBe(ZERO);
    expect(v?.realizedPnl).toBe(fx('-450'));
    expect(v?.fees).toBe(fx('6.425'));
    expect(changes.map((c) => c.cause)).toEqual(['fill', 'liquidation']);
  });

  it('a reason other than ORDER (an adjustment, insurance clear) is adopted at once', () => {
    const { book, account, changes } = futuresBookRig();
    account('ADJUSTMENT', '10000', [{ amount: '-0.5', entry: '3000', symbol: 'ETHUSDT.P' }]);
    expect(changes[0]).toMatchObject({ symbol: 'ETHUSDT.P', cause: 'venue', amount: fx('-0.5') });
    expect(book.position('ETHUSDT.P').entryNotional).toBe(fx('1500'));
  });
});

describe('FuturesBook: funding per symbol', () => {
  it("without the venue's income rows, one cross position takes the whole balance change", () => {
    const { book, fill, mark, account, funding } = futuresBookRig();
    fill('BUY', '0.1', '95000', '1.9');
    mark('95000', '0.0001');
    account('FUNDING_FEE', '9999.05', [], '-0.95');
    expect(funding).toEqual([
      expect.objectContaining({ symbol: PERP, amount: fx('-0.95'), positionAmount: fx('0.1'), rate: fx('0.0001'), source: 'estimate' }),
    ]);
    expect(book.positionView(PERP)?.funding).toBe(fx('-0.95'));
  });

  it("several cross positions: −pa·mark·rate each, the rounding to the largest, summing to the wallet's change", () => {
    const { book, fill, mark, account } = futuresBookRig();
    fill('BUY', '0.1', '95000', '1.9');
    fill('SELL', '2', '3000', '1.2', 'ETHUSDT.P');
    mark('95000', '0.0001');
    mark('3000', '0.0003', 'ETHUSDT.P');
    const btc = fundingWalletChange(fx('0.1'), fx('95000'), fx('0.0001')); // −0.95
    const eth = fundingWalletChange(fx('-2'), fx('3000'), fx('0.0003')); // +1.8
    account('FUNDING_FEE', '10000', [], '0.85000001');
    expect(book.positionView(PERP)?.funding).toBe(btc);
    expect(book.positionView('ETHUSDT.P')?.funding).toBe(eth + fx('0.00000001'));
    expect(book.totals().funding).toBe(fx('0.85000001'));
  });

  it('an isolated settlement names its position: only that one pays', () => {
    const { book, fill, account } = futuresBookRig();
    fill('BUY', '0.1', '95000', '1.9');
    fill('SELL', '2', '3000', '1.2', 'ETHUSDT.P');
    book.setMarginType('ETHUSDT.P', 'ISOLATED');
    account('FUNDING_FEE', '10000', [{ symbol: 'ETHUSDT.P', amount: '-2', entry: '3000', marginType: 'ISOLATED', iw: '301.8' }], '1.8');
    expect(book.positionView('ETHUSDT.P')?.funding).toBe(fx('1.8'));
    expect(book.positionView(PERP)?.funding).toBe(ZERO);
  });

  it('with the venue, its FUNDING_FEE income rows are the truth per symbol, each booked once', async () => {
    const gateway = new FakeFuturesGateway();
    const { book, fill, mark, account, funding, clock } = futuresBookRig({ gateway });
    fill('BUY', '0.1', '95000', '1.9');
    fill('SELL', '2', '3000', '1.2', 'ETHUSDT.P');
    mark('95000', '0.0001');
    const at = clock.now();
    const row = (symbol: string, income: string, tranId: string) =>
      ({
        symbol,
        incomeType: 'FUNDING_FEE',
        venueType: 'FUNDING_FEE',
        income: fx(income),
        asset: 'USDT',
        info: 'FUNDING_FEE',
        time: at,
        tranId,
      }) as const;
    gateway.incomeRows = [row(PERP, '-0.95000001', '7001'), row('ETHUSDT.P', '1.79999999', '7002')];
    account('FUNDING_FEE', '10000.84999998', [], '0.84999998');
    // The mark stream announces the next settlement's rate before the income rows answer: this one's stays 0.0001.
    mark('95000', '0.0005');
    await until(() => funding.length === 2);
    expect(funding.map((f) => f.rate)).toEqual([fx('0.0001'), undefined]);
    // The same settlement reported again (an isolated one beside it) books nothing twice.
    account('FUNDING_FEE', '10000.84999998', [], '0');
    await until(() => gateway.incomeQueries.length === 2);
    await settle();
    expect(funding.map((f) => [f.symbol, f.amount, f.source])).toEqual([
      [PERP, fx('-0.95000001'), 'income'],
      ['ETHUSDT.P', fx('1.79999999'), 'income'],
    ]);
    expect(gateway.incomeQueries[0]).toMatchObject({ incomeType: 'FUNDING_FEE', startTime: at - 60_000, endTime: at + 60_000 });
    expect(book.positionView(PERP)?.funding).toBe(fx('-0.95000001'));
  });

  it('when the venue cannot give the rows, the estimate is booked and says so', async () => {
    const gateway = new FakeFuturesGateway();
    gateway.incomeRows = refused('-1003', 'Too many requests');
    const { fill, mark, account, funding } = futuresBookRig({ gateway });
    fill('BUY', '0.1', '95000', '1.9');
    mark('95000', '0.0001');
    account('FUNDING_FEE', '9999.05', [], '-0.95');
    await until(() => funding.length === 1);
    expect(funding[0]).toMatchObject({ amount: fx('-0.95'), source: 'estimate' });
  });
});

describe('FuturesBook: margin for the risk gate', () => {
  it("available = cross wallet + uPnL − initial margin − accepted open orders' margin (no ACCOUNT_UPDATE comes for a new order)", () => {
    const { book, host, fill, mark, account } = futuresBookRig();
    account('ORDER', '1000', [{ amount: '0.1', entry: '95000' }]);
    fill('BUY', '0.1', '95000', '1.9');
    mark('94000');
    book.setLeverage(PERP, 10);
    const before = fx('1000') + unrealizedPnl(fx('0.1'), fx('95000'), fx('94000')) - fx('940');
    expect(book.availableMargin()).toBe(before);
    const sent = anOrderSent({
      clientOrderId: 'tg_G1_9_B1',
      symbol: PERP,
      side: 'BUY',
      type: 'LIMIT',
      price: fx('93000'),
      quantity: fx('0.01'),
    });
    host.bus.publish(sent);
    // Sent, not yet accepted: the risk gate's ledger still reserves it, so the book does not count it twice.
    expect(book.availableMargin()).toBe(before);
    host.bus.publish({
      type: 'OrderAccepted',
      clientOrderId: 'tg_G1_9_B1',
      symbol: PERP,
      side: 'BUY',
      owner: sent.owner,
      exchangeOrderId: '1',
      time: 1,
    });
    const margin = orderMargin(fx('0.1'), 'BUY', fx('0.01'), fx('93000'), fx('94000'), 10);
    expect(book.availableMargin()).toBe(before - margin);
    host.bus.publish({
      type: 'OrderCanceled',
      clientOrderId: 'tg_G1_9_B1',
      symbol: PERP,
      side: 'BUY',
      owner: sent.owner,
      filledQty: ZERO,
      reason: 'user',
      time: 2,
    });
    expect(book.availableMargin()).toBe(before);
  });

  it("an isolated symbol's liquidation margin is its own wallet plus what the order adds", () => {
    const { book, account } = futuresBookRig();
    account('ORDER', '1000', [{ amount: '0', entry: '0', marginType: 'ISOLATED', iw: '0' }]);
    expect(book.liquidationMargin(PERP, fx('50'))).toEqual({ mode: 'isolated', wallet: fx('50') });
  });
});

describe('FuturesBook: today, for the daily loss limit', () => {
  it("realized − fees + funding booked today + unrealized now; the day turns at 00:00 UTC on the bot's clock", () => {
    const { book, fill, mark, account, clock } = futuresBookRig();
    fill('BUY', '0.1', '95000', '1.9');
    fill('SELL', '0.05', '96000', '0.96');
    mark('94000', '0.0001');
    account('FUNDING_FEE', '1000', [], '-0.47');
    const unrealized = unrealizedPnl(fx('0.05'), fx('95000'), fx('94000'));
    expect(book.dailyPnl()).toBe(fx('50') - fx('2.86') - fx('0.47') + unrealized);
    clock.advance(86_400_000);
    expect(book.dailyPnl()).toBe(unrealized);
  });
});

describe('FuturesBook: restart', () => {
  it("saves and restores through the store's schema: the same figures, and fills continue the same arithmetic", () => {
    const a = futuresBookRig();
    a.account('ORDER', '1000', []);
    a.fill('BUY', '0.01', '95000', '0.19');
    a.fill('SELL', '0.004', '96000', '0.0768');
    const saved = parseStored(futuresBookState, encodeJson(a.book.exportState()));
    expect(saved.ok).toBe(true);
    if (!saved.ok) return;
    const b = futuresBookRig({ initial: saved.value });
    expect(b.book.exportState()).toEqual(a.book.exportState());
    a.fill('SELL', '0.006', '97000', '0.1164');
    b.fill('SELL', '0.006', '97000', '0.1164');
    expect(b.book.positionView(PERP)).toEqual(a.book.positionView(PERP));
  });

  it('at start the venue wins: a position changed while away is adopted once the missed fills are in, one gone is flat', async () => {
    const a = futuresBookRig();
    a.fill('BUY', '0.01', '95000', '0.19');
    a.fill('SELL', '1', '3000', '0.6', 'ETHUSDT.P');
    const gateway = new FakeFuturesGateway();
    gateway.bracketList = [perpBrackets()];
    gateway.accountNow = anAccount(fx('1234.5'));
    gateway.positionList = [
      aPositionRisk({
        symbol: PERP,
        positionAmt: fx('0.02'),
        entryPrice: fx('95500'),
        leverage: 5,
        marginType: 'ISOLATED',
        isolatedWallet: fx('382'),
      }),
    ];
    const b = futuresBookRig({ gateway, initial: a.book.exportState() });
    await b.book.start();
    // Held, not adopted: the restart books the fills missed while down after the start, and marks do not decide.
    b.mark('95600');
    b.mark('95700');
    expect(b.changes).toEqual([]);
    expect(b.book.positionView(PERP)).toMatchObject({ amount: fx('0.01'), leverage: 5, marginType: 'ISOLATED', isolatedWallet: fx('382') });
    expect(b.book.settleVenue("the venue's position at start")).toBe(2);
    expect(b.changes.map((c) => [c.symbol, c.cause, c.amount])).toEqual([
      [PERP, 'venue', fx('0.02')],
      ['ETHUSDT.P', 'venue', ZERO],
    ]);
    expect(b.book.positionView(PERP)?.entryPrice).toBe(fx('95500'));
    // What was booked before stays: the realized PnL and fees are the bot's history.
    expect(b.book.positionView(PERP)?.fees).toBe(fx('0.19'));
    expect(b.book.totals().walletBalance).toBe(fx('1234.5'));
  });

  it("a fill missed while down and booked after the start explains the venue's position: nothing adopted or doubled", async () => {
    const a = futuresBookRig();
    a.fill('BUY', '0.01', '95000', '0.19');
    const gateway = new FakeFuturesGateway();
    gateway.positionList = [aPositionRisk({ symbol: PERP, positionAmt: fx('0.015'), entryPrice: fx('95000') })];
    const b = futuresBookRig({ gateway, initial: a.book.exportState() });
    await b.book.start();
    b.fill('BUY', '0.005', '95000', '0.095');
    expect(b.book.settleVenue('after the restart')).toBe(0);
    expect(b.changes.map((c) => [c.cause, c.amount])).toEqual([['fill', fx('0.015')]]);
    const want = domainChain([
      ['BUY', '0.01', '95000', '0.19'],
      ['BUY', '0.005', '95000', '0.095'],
    ]);
    expect(b.book.position(PERP)).toEqual(want.position);
  });

  it("judges a position the restart's missed fills move on the isolated wallet of that position, not the one read at start", async () => {
    // Before the kill: long 0.02 at x3 isolated. While down the venue bought once more and sold twice: long 0.01 now.
    const a = futuresBookRig();
    a.fill('BUY', '0.02', '7200', '0.0576');
    const gateway = new FakeFuturesGateway();
    gateway.bracketList = [perpBrackets()];
    gateway.positionList = [
      aPositionRisk({
        symbol: PERP,
        positionAmt: fx('0.01'),
        entryPrice: fx('7200'),
        leverage: 3,
        marginType: 'ISOLATED',
        isolatedWallet: fx('24'),
      }),
    ];
    const b = futuresBookRig({ gateway, initial: a.book.exportState() });
    await b.book.start();
    // The missed fills are booked one by one (each re-armed as it is): the wallet read at start backs 0.01, not 0.03.
    b.fill('BUY', '0.01', '7200', '0.0288');
    expect(b.book.position(PERP).amount).toBe(fx('0.03'));
    expect(b.book.liquidationMargin(PERP, ZERO)).toEqual({ mode: 'isolated', wallet: fx('72') });
    b.fill('SELL', '0.01', '7200', '0.0288');
    b.fill('SELL', '0.01', '7200', '0.0288');
    // Back at the amount the venue reported: its own wallet again.
    expect(b.book.liquidationMargin(PERP, ZERO)).toEqual({ mode: 'isolated', wallet: fx('24') });
    expect(b.book.settleVenue('after the restart')).toBe(0);
  });

  it('an account update older than the start read (held through the restart, released after) changes nothing', async () => {
    const gateway = new FakeFuturesGateway();
    const b = futuresBookRig({ gateway });
    // The venue's time of its last change is ahead of the held update's (the rig's clock only moves forward).
    const readAt = b.clock.now() + 1_000;
    gateway.positionList = [
      aPositionRisk({
        symbol: PERP,
        positionAmt: fx('-0.02'),
        entryPrice: fx('95000'),
        leverage: 3,
        marginType: 'ISOLATED',
        isolatedWallet: fx('633.33'),
        updateTime: readAt,
      }),
    ];
    await b.book.start();
    expect(b.book.settleVenue('at start')).toBe(1);
    // The first of the two fills, as its ACCOUNT_UPDATE said then: a smaller position, a smaller isolated wallet.
    b.account('ORDER', '10000', [{ amount: '-0.01', entry: '95000', marginType: 'ISOLATED', iw: '316.66' }]);
    expect(b.book.position(PERP).amount).toBe(fx('-0.02'));
    expect(b.book.liquidationMargin(PERP, ZERO)).toEqual({ mode: 'isolated', wallet: fx('633.33') });
    for (let i = 0; i < 5; i++) b.mark('95000');
    expect(b.book.position(PERP).amount).toBe(fx('-0.02'));
    // A newer one is the venue's word as before.
    b.clock.set(readAt + 1);
    b.account('ORDER', '10000', [{ amount: '-0.03', entry: '95000', marginType: 'ISOLATED', iw: '950' }]);
    // Its wallet backs -0.03: it counts once the fill it announces is booked (until then, -0.02's own margin does).
    expect(b.book.liquidationMargin(PERP, ZERO)).toEqual({ mode: 'isolated', wallet: fx('633.33333333') });
    b.fill('SELL', '0.01', '95000', '0.38');
    expect(b.book.liquidationMargin(PERP, ZERO)).toEqual({ mode: 'isolated', wallet: fx('950') });
  });
});
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((r) => setImmediate(r));
  if (!done()) throw new Error('condition not reached');
}

/** Lets every answer already given run its continuation. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
