/** The profit words /grids and /pnl share, each defined once in the README ("Grid profit, floating PnL, total PnL, APR"). */
import { type Fixed, ZERO } from '../../domain/index.js';
import { type DisplaySteps, exact, money, price, quantity, signedExact, signedMoney, signedPercent } from '../numbers.js';
import type { GridPnlView, PnlView } from '../services.js';

/** Rounded for a chat line, or every decimal the books keep (`/pnl detail`, `/grids G1`). */
export type Precision = 'chat' | 'exact';

function amountOf(precision: Precision): (v: Fixed) => string {
  return precision === 'exact' ? exact : money;
}

function signedOf(precision: Precision): (v: Fixed) => string {
  return precision === 'exact' ? signedExact : signedMoney;
}

/**
 * "grid profit +3.83 · floating PnL -1.20 · total PnL +2.63 · APR +45.12 % on 1000.00 USDT invested"; a grid started
 * before these books were kept shows its grid profit alone.
 */
export function gridProfitLine(pnl: GridPnlView | undefined, gridProfit: Fixed, quoteAsset: string, precision: Precision): string {
  const signed = signedOf(precision);
  const parts = [`grid profit ${signed(pnl?.gridProfit ?? gridProfit)}`];
  if (pnl?.floatingPnl !== undefined) parts.push(`floating PnL ${signed(pnl.floatingPnl)}`);
  if (pnl?.totalPnl !== undefined) parts.push(`total PnL ${signed(pnl.totalPnl)}`);
  const apr = pnl?.aprPct === undefined ? '' : `APR ${precision === 'exact' ? signedExact(pnl.aprPct) : signedPercent(pnl.aprPct)} %`;
  const invested = pnl?.investment === undefined ? '' : `${amountOf(precision)(pnl.investment)} ${quoteAsset} invested`;
  if (apr && invested) parts.push(`${apr} on ${invested}`);
  else if (apr || invested) parts.push(apr || invested);
  // Never counted as zero: a fee no market valued is named beside the figures it is missing from.
  const unvalued = (pnl?.unvaluedFees ?? []).map((u) => `${exact(u.amount)} ${u.asset}`).join(', ');
  const missing = unvalued === '' ? '' : ` (fees of ${unvalued} not valued: not in these figures)`;
  return `${parts.join(' · ')}${pnl?.totalPnl === undefined ? ` ${quoteAsset}` : ''}${missing}`;
}

/**
 * "holds 0.00520 BTC, marked at 95210.00 (started at 95000.00)": the grid's unmatched inventory behind floating PnL; a
 * USD-M grid's is its share of the position, "position -0.00520 BTC (short), marked at …".
 */
export function gridHoldingLine(
  pnl: GridPnlView | undefined,
  baseAsset: string,
  steps: DisplaySteps | undefined,
  precision: Precision,
  futures = false,
): string | undefined {
  if (pnl?.base === undefined || pnl.mark === undefined || pnl.startPrice === undefined) return undefined;
  const q = precision === 'exact' ? exact : (v: Fixed) => quantity(v, steps);
  const p = precision === 'exact' ? exact : (v: Fixed) => price(v, steps);
  const side = pnl.base > ZERO ? ' (long)' : pnl.base < ZERO ? ' (short)' : '';
  const held = futures ? `position ${q(pnl.base)} ${baseAsset}${side}` : `holds ${q(pnl.base)} ${baseAsset}`;
  return `${held}, marked at ${p(pnl.mark)} (started at ${p(pnl.startPrice)})`;
}

/** "BNB 0.0023 = 1.50 USDT" per asset, the quote asset as it is, and a part no market could value said plainly. */
export function feeLines(fees: NonNullable<PnlView['feesByAsset']>, quoteAsset: string, precision: Precision): string[] {
  const amount = amountOf(precision);
  return fees.map((f) => {
    if (f.asset === quoteAsset) return `${f.asset} ${amount(f.amount)}`;
    const valued = f.amount - f.unvalued;
    const head = `${f.asset} ${exact(f.amount)}`;
    if (f.unvalued === f.amount) return `${head}: not valued (no ${f.asset}${quoteAsset} price seen; add it to MARKET_SYMBOLS)`;
    const worth = `= ${amount(f.valueQuote)} ${quoteAsset}`;
    if (f.unvalued === 0n) return `${head} ${worth}`;
    return `${head}: ${exact(valued)} ${worth}; ${exact(f.unvalued)} not valued (no ${f.asset}${quoteAsset} price seen then)`;
  });
}
