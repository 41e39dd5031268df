import { describe, expect, it } from 'vitest';
import { type Fixed, type Instrument, SCALE, catalogInstrument, fixed, fx } from '../../../src/domain/index.js';
import {
  type FuturesGridPreview,
  type FuturesPreviewInput,
  type GridParams,
  buildFuturesGridPreview,
} from '../../../src/strategy/index.js';
import { btcBrackets } from '../../domain/futures/brackets-file.js';

const BTC = catalogInstrument('BTCUSDT') as Instrument;
const REF = fx('100000');

function input(p: Partial<GridParams>, over: Partial<FuturesPreviewInput> = {}): FuturesPreviewInput {
  return {
    params: { symbol: 'BTCUSDT', levels: 10, spacingPct: fx('0.5'), amountQuote: fx('100'), spacing: 'arithmetic', ...p },
    instrument: BTC,
    referencePrice: REF,
    makerFee: fx('0.0002'),
    takerFee: fx('0.0005'),
    brackets: btcBrackets(),
    fundingRate: fx('0.0001'),
    fundingIntervalHours: 8,
    walletBalance: fx('10000'),
    minLiquidationDistancePct: fx('15'),
    ...over,
  };
}

function preview(p: Partial<GridParams>, over: Partial<FuturesPreviewInput> = {}): FuturesGridPreview {
  const r = buildFuturesGridPreview(input(p, over));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const sumQty = (pv: FuturesGridPreview, side: 'BUY' | 'SELL'): Fixed =>
  pv.levels.filter((l) => l.side === side).reduce((s, l) => s + l.quantity, 0n);
const sumNotional = (pv: FuturesGridPreview, side: 'BUY' | 'SELL'): Fixed =>
  pv.levels.filter((l) => l.side === side).reduce((s, l) => s + l.notional, 0n);

/** The single-position forms of facts file D.4, as exact fractions rounded once, independent of liquidation.ts. */
function singleLongLp(amount: Fixed, entryNotional: Fixed, wallet: Fixed, mmr: Fixed, cum: Fixed): Fixed {
  return fixed.divRound((entryNotional - wallet - cum) * SCALE * SCALE, amount * (SCALE - mmr), 'halfEven');
}
function singleShortLp(size: Fixed, entryNotional: Fixed, wallet: Fixed, mmr: Fixed, cum: Fixed): Fixed {
  return fixed.divRound((wallet + cum + entryNotional) * SCALE * SCALE, size * (SCALE + mmr), 'halfEven');
}

describe('futures grid preview', () => {
  it('a long grid opens what its sells will sell, and its margin covers every buy filled at x5', () => {
    const pv = preview({ futures: { mode: 'long', leverage: 5, margin: 'isolated' } });
    const f = pv.futures;
    const sells = sumQty(pv, 'SELL');
    expect(f.initialPosition?.quantity).toBe(sells);
    const initialNotional = fixed.mul(sells, REF, 'halfEven');
    expect(f.initialPosition?.fee).toBe(fixed.mul(initialNotional, fx('0.0005'), 'halfEven'));
    // Worst case: every buy filled on top of the opening long.
    const notional = initialNotional + sumNotional(pv, 'BUY');
    const fees =
      (f.initialPosition?.fee ?? 0n) +
      pv.levels.filter((l) => l.side === 'BUY').reduce((s, l) => s + fixed.mul(l.notional, fx('0.0002'), 'halfEven'), 0n);
    expect(f.marginNeeded).toBe(fixed.divRound(notional, 5n, 'ceil') + fees);
    expect(pv.quoteNeeded).toBe(f.marginNeeded);
    expect(pv.marketBuy).toEqual({ quantity: sells, estimatedQuote: initialNotional });
    expect(pv.marketSell).toBeUndefined();
    // One worst case, the long one at the lowest buy, its liquidation price by the single-position formula (bracket 1).
    expect(f.worst).toHaveLength(1);
    const w = f.worst[0]!;
    expect(w.side).toBe('long');
    expect(w.level).toBe(-10);
    expect(w.position).toBe(sells + sumQty(pv, 'BUY'));
    expect(w.entryPrice).toBe(fixed.div(notional, w.position, 'halfEven'));
    expect(w.liquidationPrice).toBe(singleLongLp(w.position, notional, f.marginNeeded - fees, fx('0.004'), 0n));
    expect(f.tooCloseLevels).toEqual([]);
    expect(pv.warnings.map((x) => x.code)).not.toContain('NEAR_LIQUIDATION');
    // Funding at the coming rate: the long pays notional·rate, floored (the wallet change is negative).
    expect(f.funding.initial).toBe(fixed.divRound(-sells * REF * fx('0.0001'), SCALE * SCALE, 'floor'));
    expect(f.funding.fullPosition).toBe(w.position);
  });

  it('a short grid opens what its buys will buy and grows short up the sells', () => {
    const pv = preview({ futures: { mode: 'short', leverage: 3, margin: 'isolated' } });
    const f = pv.futures;
    expect(f.initialPosition?.quantity).toBe(-sumQty(pv, 'BUY'));
    expect(pv.marketSell?.quantity).toBe(sumQty(pv, 'BUY'));
    expect(pv.marketBuy).toBeUndefined();
    expect(f.worst.map((w) => w.side)).toEqual(['short']);
    const w = f.worst[0]!;
    expect(w.level).toBe(10);
    expect(w.position).toBe(-(sumQty(pv, 'BUY') + sumQty(pv, 'SELL')));
    // A short pays nothing at a positive rate: it is paid.
    expect(f.funding.initial > 0n).toBe(true);
    expect(w.liquidationPrice! > w.levelPrice).toBe(true);
  });

  it('a neutral grid opens nothing and reports both directions, warning of levels near liquidation at x20 isolated', () => {
    const pv = preview({ futures: { mode: 'neutral', leverage: 20, margin: 'isolated' } });
    const f = pv.futures;
    expect(f.initialPosition).toBeUndefined();
    expect(f.funding.initial).toBe(0n);
    expect(f.worst.map((w) => w.side)).toEqual(['long', 'short']);
    const long = f.worst[0]!;
    const short = f.worst[1]!;
    // The wallet is the larger side's margin; each side's price from the single-position forms.
    const buyFees = pv.levels.filter((l) => l.side === 'BUY').reduce((s, l) => s + fixed.mul(l.notional, fx('0.0002'), 'halfEven'), 0n);
    const sellFees = pv.levels.filter((l) => l.side === 'SELL').reduce((s, l) => s + fixed.mul(l.notional, fx('0.0002'), 'halfEven'), 0n);
    expect(long.liquidationPrice).toBe(singleLongLp(long.position, sumNotional(pv, 'BUY'), f.marginNeeded - buyFees, fx('0.004'), 0n));
    expect(short.liquidationPrice).toBe(
      singleShortLp(-short.position, sumNotional(pv, 'SELL'), f.marginNeeded - sellFees, fx('0.004'), 0n),
    );
    // At x20 on its own margin, the far levels sit within 15 % of liquidation.
    expect(f.tooCloseLevels.length).toBeGreaterThan(0);
    const warning = pv.warnings.find((x) => x.code === 'NEAR_LIQUIDATION');
    expect(warning).toBeDefined();
    expect(warning?.message).toContain('15 %');
  });

  it('cross margin is backed by the wallet, and says when the wallet is short', () => {
    const rich = preview({ futures: { mode: 'long', leverage: 5, margin: 'cross' } });
    const poor = preview({ futures: { mode: 'long', leverage: 5, margin: 'cross' } }, { walletBalance: fx('100') });
    expect(rich.futures.worst[0]!.liquidationPrice).toBeUndefined(); // 10,000 USDT covers a 2,000 USDT position: no root
    expect(poor.warnings.map((w) => w.code)).toContain('INSUFFICIENT_MARGIN');
    expect(poor.futures.worst[0]!.liquidationPrice! > 0n).toBe(true);
  });

  it('refuses leverage the symbol does not allow, naming the range', () => {
    for (const leverage of [0, 126, 2.5]) {
      const r = buildFuturesGridPreview(input({ futures: { mode: 'long', leverage, margin: 'cross' } }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain('x1 to x125');
    }
  });
});
