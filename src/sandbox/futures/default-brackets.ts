import { type SymbolBrackets, parseLeverageBrackets } from '../../domain/index.js';

/** [initialLeverage, notionalFloor, notionalCap, maintMarginRatio, cum] per bracket, lowest notional first. */
type Tier = readonly [number, number, number, number, number];

/**
 * BTCUSDT and ETHUSDT as live Binance answered GET /fapi/v1/leverageBracket
 * (../shared/data/futures/um/json/BTCUSDT-ETHUSDT-leverageBracket.json; copied, never read at runtime).
 */
const LIVE: Readonly<Record<string, readonly Tier[]>> = {
  BTCUSDT: [
    [125, 0, 50_000, 0.004, 0],
    [100, 50_000, 600_000, 0.005, 50],
    [75, 600_000, 3_000_000, 0.0065, 950],
    [50, 3_000_000, 12_000_000, 0.01, 11_450],
    [25, 12_000_000, 70_000_000, 0.02, 131_450],
    [20, 70_000_000, 100_000_000, 0.025, 481_450],
    [10, 100_000_000, 230_000_000, 0.05, 2_981_450],
    [5, 230_000_000, 480_000_000, 0.1, 14_481_450],
    [4, 480_000_000, 600_000_000, 0.125, 26_481_450],
    [3, 600_000_000, 800_000_000, 0.15, 41_481_450],
    [2, 800_000_000, 1_200_000_000, 0.25, 121_481_450],
    [1, 1_200_000_000, 1_800_000_000, 0.5, 421_481_450],
  ],
  ETHUSDT: [
    [125, 0, 50_000, 0.004, 0],
    [100, 50_000, 600_000, 0.005, 50],
    [75, 600_000, 3_000_000, 0.0065, 950],
    [50, 3_000_000, 12_000_000, 0.01, 11_450],
    [25, 12_000_000, 50_000_000, 0.02, 131_450],
    [20, 50_000_000, 65_000_000, 0.025, 381_450],
    [10, 65_000_000, 150_000_000, 0.05, 2_006_450],
    [5, 150_000_000, 320_000_000, 0.1, 9_506_450],
    [4, 320_000_000, 400_000_000, 0.125, 17_506_450],
    [3, 400_000_000, 530_000_000, 0.15, 27_506_450],
    [2, 530_000_000, 800_000_000, 0.25, 80_506_450],
    [1, 800_000_000, 1_200_000_000, 0.5, 280_506_450],
  ],
};

/**
 * Every other symbol: a mid-cap altcoin's shape (50x first tier, MMR 1 % doubling outward), chosen because the sandbox
 * knows no other symbol's real tiers and a smaller first tier than BTC's is what an altcoin has on Binance. The cum
 * column follows the recurrence (README "Leverage brackets"). Override per symbol through the hub options.
 */
const DEFAULT_TIERS: readonly Tier[] = [
  [50, 0, 5_000, 0.01, 0],
  [25, 5_000, 25_000, 0.02, 50],
  [20, 25_000, 100_000, 0.025, 175],
  [10, 100_000, 250_000, 0.05, 2_675],
  [5, 250_000, 1_000_000, 0.1, 15_175],
  [4, 1_000_000, 2_000_000, 0.125, 40_175],
  [3, 2_000_000, 5_000_000, 0.15, 90_175],
  [2, 5_000_000, 10_000_000, 0.25, 590_175],
  [1, 10_000_000, 20_000_000, 0.5, 3_090_175],
];

/** The leverageBracket JSON Binance would send for these tiers (numbers, as Binance sends them). */
function asJson(symbol: string, tiers: readonly Tier[]): unknown {
  return {
    symbol,
    brackets: tiers.map(([initialLeverage, notionalFloor, notionalCap, maintMarginRatio, cum], i) => ({
      bracket: i + 1,
      initialLeverage,
      notionalCap,
      notionalFloor,
      maintMarginRatio,
      cum,
    })),
  };
}

/**
 * Each symbol's brackets: the override (leverageBracket JSON, one object or an array, checked by the domain's parser)
 * where given, else the live table for BTCUSDT/ETHUSDT, else the default tiers.
 */
export function bracketsFor(symbols: readonly string[], overrides?: unknown): Map<string, SymbolBrackets> {
  const given = new Map<string, SymbolBrackets>();
  if (overrides !== undefined) for (const b of parseLeverageBrackets(overrides)) given.set(b.symbol, b);
  const out = new Map<string, SymbolBrackets>();
  for (const symbol of symbols) {
    const own = given.get(symbol);
    out.set(symbol, own ?? (parseLeverageBrackets(asJson(symbol, LIVE[symbol] ?? DEFAULT_TIERS))[0] as SymbolBrackets));
  }
  return out;
}
