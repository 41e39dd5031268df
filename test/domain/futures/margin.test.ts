import { describe, expect, it } from 'vitest';
import {
  type LiquidationMargin,
  format,
  fx,
  initialMargin,
  isLiquidatable,
  liquidationPrice,
  maintenanceMargin,
  marginBalance,
  positionFromEntry,
  positionNotional,
  unrealizedPnl,
} from '../../../src/domain/index.js';
import { btcBrackets } from './brackets-file.js';

/**
 * Acceptance (issue 12): initial margin, maintenance margin and liquidation price for long and short, cross and
 * isolated, across two BTCUSDT brackets (1: 0–50k, MMR 0.004, cum 0; 2: 50k–600k, MMR 0.005, cum 50), equal to the
 * facts file's formulas (D.3, D.4) to the last unit, every expectation worked by hand below.
 *   IM = |pa|·mark/leverage (truncated), MM = |pa|·mark·MMR − cum (truncated), uPnL = (mark − ep)·pa (truncated),
 *   LP = (WB − TMM1 + UPNL1 + cum − pa·ep)/(|pa|·MMR − pa) (half-even), bracket by the notional at LP.
 */
const btc = btcBrackets();

function figures(amount: string, entry: string, mark: string, leverage: number, margin: LiquidationMargin) {
  const pos = positionFromEntry(fx(amount), fx(entry));
  const mm = maintenanceMargin(pos.amount, fx(mark), btc);
  const lp = liquidationPrice(pos.amount, pos.entryNotional, btc, margin);
  return {
    notional: format(positionNotional(pos.amount, fx(mark))),
    im: format(initialMargin(pos.amount, fx(mark), leverage)),
    mm: format(mm.margin),
    mmBracket: mm.bracket.bracket,
    upnl: format(unrealizedPnl(pos.amount, pos.entryPrice, fx(mark))),
    lp: lp === undefined ? undefined : format(lp.price),
    lpBracket: lp?.bracket.bracket,
  };
}

describe('futures margin maths (facts file D.3, D.4)', () => {
  it('reproduces the live captured cross long exactly (D.2, D.3, D.4)', () => {
    // pa 0.009, ep 67445.9, mark 67502.68519858, 80x, cross wallet 25.72470371, no other positions.
    // notional 0.009·67502.68519858 = 607.52416678722 → 607.52416678 (API "607.52416678")
    // IM 607.52416678722/80 = 7.594052084… → 7.59405208 (API 7.59405208)
    // MM 607.52416678722·0.004 = 2.43009666714… → 2.43009666 (API "2.43009666", truncated)
    // uPnL (67502.68519858 − 67445.9)·0.009 = 0.51106678722 → 0.51106678 (API; half-even would say …79)
    // LP (0.009·67445.9 − 25.72470371 − 0)/(0.009·(1 − 0.004)) = 581.28839629/0.008964 = 64846.98753792949576…
    //   half-even to 8 places 64846.98753793 (the facts file's computed figure); the API's "64846.98753790" is the
    //   same root to 7 places (truncated to 8 it would be …92): README, "Rounding".
    expect(
      figures('0.009', '67445.9', '67502.68519858', 80, {
        mode: 'cross',
        wallet: fx('25.72470371'),
        otherMaintenance: 0n,
        otherUnrealizedPnl: 0n,
      }),
    ).toEqual({
      notional: '607.52416678',
      im: '7.59405208',
      mm: '2.43009666',
      mmBracket: 1,
      upnl: '0.51106678',
      lp: '64846.98753793',
      lpBracket: 1,
    });
  });

  it('isolated long in bracket 2, its liquidation price still in bracket 2', () => {
    // pa 2, ep 60000, mark 61000, 20x, isolated wallet 6000 (= 120000/20).
    // notional 122000 → bracket 2. IM 122000/20 = 6100. MM 122000·0.005 − 50 = 560. uPnL (61000 − 60000)·2 = 2000.
    // LP (120000 − 6000 − 50)/(2·0.995) = 113950/1.99 = 57261.306532663… → 57261.30653266; notional 114522.6 → bracket 2.
    expect(figures('2', '60000', '61000', 20, { mode: 'isolated', wallet: fx('6000') })).toEqual({
      notional: '122000',
      im: '6100',
      mm: '560',
      mmBracket: 2,
      upnl: '2000',
      lp: '57261.30653266',
      lpBracket: 2,
    });
  });

  it('isolated short in bracket 1 whose liquidation price lies in bracket 2: recomputed there', () => {
    // pa −0.7, ep 70000, mark 69000, 10x, isolated wallet 4900.
    // notional 48300 → bracket 1. IM 4830. MM 48300·0.004 = 193.2. uPnL (69000 − 70000)·(−0.7) = 700.
    // LP with bracket 1: (4900 + 0 + 49000)/(0.7·1.004) = 76693.227…, notional 53685.26 ≥ 50000: bracket 2, so
    // recomputed (4900 + 50 + 49000)/(0.7·1.005) = 53950/0.7035 = 76687.988628287… → 76687.98862829 (notional 53681.59).
    expect(figures('-0.7', '70000', '69000', 10, { mode: 'isolated', wallet: fx('4900') })).toEqual({
      notional: '48300',
      im: '4830',
      mm: '193.2',
      mmBracket: 1,
      upnl: '700',
      lp: '76687.98862829',
      lpBracket: 2,
    });
  });

  it('isolated long in bracket 2 whose liquidation price lies in bracket 1: recomputed there', () => {
    // pa 1, ep 52000, mark 51000, 20x, isolated wallet 2600.
    // notional 51000 → bracket 2. IM 2550. MM 51000·0.005 − 50 = 205. uPnL (51000 − 52000)·1 = −1000.
    // LP with bracket 2: (52000 − 2600 − 50)/0.995 = 49597.98…, notional < 50000: bracket 1, so recomputed
    // (52000 − 2600 − 0)/0.996 = 49400/0.996 = 49598.393574297… → 49598.39357430.
    expect(figures('1', '52000', '51000', 20, { mode: 'isolated', wallet: fx('2600') })).toEqual({
      notional: '51000',
      im: '2550',
      mm: '205',
      mmBracket: 2,
      upnl: '-1000',
      lp: '49598.3935743',
      lpBracket: 1,
    });
  });

  it('cross long beside other positions (TMM1, UPNL1), bracket 1', () => {
    // pa 0.5, ep 40000, mark 41000, 25x; cross wallet 3000, other positions' MM 120 and uPnL −250.
    // notional 20500 → bracket 1. IM 820. MM 20500·0.004 = 82. uPnL 500.
    // LP (3000 − 120 − 250 + 0 − 20000)/(0.5·0.004 − 0.5) = −17370/−0.498 = 34879.518072289… → 34879.51807229.
    expect(
      figures('0.5', '40000', '41000', 25, {
        mode: 'cross',
        wallet: fx('3000'),
        otherMaintenance: fx('120'),
        otherUnrealizedPnl: fx('-250'),
      }),
    ).toEqual({ notional: '20500', im: '820', mm: '82', mmBracket: 1, upnl: '500', lp: '34879.51807229', lpBracket: 1 });
  });

  it('cross short beside other positions, bracket 2', () => {
    // pa −1.5, ep 42000, mark 41500, 20x; cross wallet 5000, other MM 80, other uPnL +120.
    // notional 62250 → bracket 2. IM 3112.5. MM 62250·0.005 − 50 = 261.25. uPnL (41500 − 42000)·(−1.5) = 750.
    // LP (5000 − 80 + 120 + 50 + 63000)/(1.5·0.005 + 1.5) = 68090/1.5075 = 45167.495854063… → 45167.49585406.
    expect(
      figures('-1.5', '42000', '41500', 20, {
        mode: 'cross',
        wallet: fx('5000'),
        otherMaintenance: fx('80'),
        otherUnrealizedPnl: fx('120'),
      }),
    ).toEqual({ notional: '62250', im: '3112.5', mm: '261.25', mmBracket: 2, upnl: '750', lp: '45167.49585406', lpBracket: 2 });
  });

  it('has no liquidation price when flat or when the wallet covers the whole long (negative root)', () => {
    const iso = (w: string): LiquidationMargin => ({ mode: 'isolated', wallet: fx(w) });
    expect(liquidationPrice(0n, 0n, btc, iso('100'))).toBeUndefined();
    // (0.01·50000 − 600)/(0.01·0.996) < 0: Binance shows "--".
    expect(liquidationPrice(fx('0.01'), fx('500'), btc, iso('600'))).toBeUndefined();
  });

  it('says liquidatable when the margin balance is at or below maintenance', () => {
    // At the capture's LP: uPnL (64846.98753793 − 67445.9)·0.009 = −23.39021215863 → −23.39021215 (toward zero),
    // balance 25.72470371 − 23.39021215 = 2.33449156; MM 0.009·64846.98753793·0.004 = 2.3344915513… → 2.33449155.
    // One unit apart: the LP is where they meet. A price well below it is liquidatable.
    const mark = fx('64846.98753793');
    const balance = marginBalance(fx('25.72470371'), unrealizedPnl(fx('0.009'), fx('67445.9'), mark));
    const mm = maintenanceMargin(fx('0.009'), mark, btc).margin;
    expect(format(balance)).toBe('2.33449156');
    expect(format(mm)).toBe('2.33449155');
    expect(isLiquidatable(balance, mm)).toBe(false);
    const below = fx('64846.8');
    expect(
      isLiquidatable(
        marginBalance(fx('25.72470371'), unrealizedPnl(fx('0.009'), fx('67445.9'), below)),
        maintenanceMargin(fx('0.009'), below, btc).margin,
      ),
    ).toBe(true);
  });
});
