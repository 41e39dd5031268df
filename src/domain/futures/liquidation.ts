import { type Fixed, SCALE, ZERO, abs, divRound } from '../fixed.js';
import { type LeverageBracket, type SymbolBrackets, bracketIndex } from './brackets.js';

/** What backs the position: the shared cross wallet with the other positions' margin, or its own isolated wallet. */
export type LiquidationMargin =
  | {
      readonly mode: 'cross';
      /** Cross wallet balance (WB). */
      readonly wallet: Fixed;
      /** Maintenance margin of every other cross position (TMM1). */
      readonly otherMaintenance: Fixed;
      /** Unrealized PnL of every other cross position (UPNL1). */
      readonly otherUnrealizedPnl: Fixed;
    }
  | {
      readonly mode: 'isolated';
      /** The position's isolatedWallet (WB); TMM1 = UPNL1 = 0. */
      readonly wallet: Fixed;
    };

export interface LiquidationPrice {
  /** The exact root, half-even to 8 places. */
  readonly price: Fixed;
  /** The bracket of the notional at that price, whose MMR and cum the formula used. */
  readonly bracket: LeverageBracket;
}

/**
 * Liquidation price of a one-way (BOTH) position (facts file D.4, Binance's formula):
 *   LP = (WB − TMM1 + UPNL1 + cum − pa·ep) / (|pa|·MMR − pa)
 * with MMR and cum of the bracket holding the notional |pa|·LP, found by recomputing until the bracket stops
 * changing (README: that always ends, within one pass over the tiers). Undefined when flat or when the root is not
 * above 0 (Binance shows "--"). `entryNotional` is |pa|·ep (FuturesPosition keeps it exact).
 */
export function liquidationPrice(
  amount: Fixed,
  entryNotional: Fixed,
  brackets: SymbolBrackets,
  margin: LiquidationMargin,
): LiquidationPrice | undefined {
  if (amount === ZERO) return undefined;
  const tiers = brackets.brackets;
  const base = margin.mode === 'cross' ? margin.wallet - margin.otherMaintenance + margin.otherUnrealizedPnl : margin.wallet;
  const signedEntry = amount > ZERO ? entryNotional : -entryNotional; // pa·ep
  const size = abs(amount);
  let index = bracketIndex(tiers, entryNotional, 1n); // start from the entry notional's tier
  for (let pass = 0; pass <= tiers.length; pass++) {
    const bracket = tiers[index] as LeverageBracket;
    // Both at 10¹⁶ scale, so num/den is the price itself.
    let num = (base + bracket.cum - signedEntry) * SCALE;
    let den = size * bracket.maintMarginRatio - amount * SCALE;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    // Notional at the root, |pa|·num/den in Fixed units, compared with the tier floors exactly (no rounding).
    const next = num <= 0n ? 0 : bracketIndex(tiers, size * num, den);
    if (next === index) {
      if (num <= 0n) return undefined;
      const price = divRound(num * SCALE, den, 'halfEven');
      return price > ZERO ? { price, bracket } : undefined;
    }
    index = next;
  }
  throw new Error(`liquidation price for ${brackets.symbol}: the bracket did not settle; its tiers break the cum recurrence`);
}
