import { type Fixed, ZERO, fixed } from '../../domain/index.js';
import type { FuturesGridFigures, FuturesGridTerms, FuturesWorstCase } from '../../strategy/index.js';
import { formatPct, formatQty, formatQuote } from '../format.js';

const MODE_WORDS: Readonly<Record<FuturesGridTerms['mode'], string>> = { long: 'Long', short: 'Short', neutral: 'Neutral' };

/** "Long · x5 · isolated margin": what kind of futures grid this is, first thing after its parameters. */
export function futuresTermsText(t: FuturesGridTerms): string {
  return `${MODE_WORDS[t.mode]} · x${t.leverage} · ${t.margin} margin · USD-M perpetual`;
}

/**
 * The margin section of a futures grid's preview (strategy/grid/futures-preview.ts says how each figure is made): the
 * opening position, the margin needed, the estimated liquidation at the worst level of each side that can grow, and
 * funding at the coming rate.
 */
export function futuresMarginLines(f: FuturesGridFigures, baseAsset: string, quoteAsset: string): string[] {
  const q = quoteAsset;
  const lines = ['', 'Margin:'];
  const open = f.initialPosition;
  if (open !== undefined) {
    const dir = open.quantity > ZERO ? 'long' : 'short';
    lines.push(
      `  opens a ${dir} of ${formatQty(fixed.abs(open.quantity))} ${baseAsset} at market ≈ ${formatQuote(open.price)} ` +
        `(taker fee ≈ ${formatQuote(open.fee)} ${q}), which its ${dir === 'long' ? 'sells' : 'buys'} close`,
    );
  } else {
    lines.push('  opens no position: buys below go long, sells above go short');
  }
  lines.push(
    `  margin needed: ${formatQuote(f.marginNeeded)} ${q} (the largest one-sided position at x${f.terms.leverage}, fees included)`,
  );
  if (f.terms.margin === 'cross')
    lines.push(`  cross margin: your ${formatQuote(f.walletBalance)} ${q} stands behind it; other positions are not counted here`);
  lines.push('', 'Liquidation (estimated, the market moving straight against the grid):');
  for (const w of f.worst) lines.push(`  ${worstLine(w, baseAsset)}`);
  if (f.worst.length === 0) lines.push('  no opening level: nothing can grow');
  lines.push('', fundingLine(f, baseAsset, q));
  return lines;
}

function worstLine(w: FuturesWorstCase, baseAsset: string): string {
  const where = w.side === 'long' ? 'lowest buy' : 'highest sell';
  const pos = `${formatQty(fixed.abs(w.position))} ${baseAsset} ${w.side} @ ${formatQuote(w.entryPrice)}`;
  if (w.liquidationPrice === undefined)
    return `${w.side}: at the ${where} ${formatQuote(w.levelPrice)} (${pos}): no liquidation price, the margin covers it`;
  const dir = w.side === 'long' ? 'below' : 'above';
  const dist = w.distanceFromPricePct === undefined ? '' : `, ${formatPct(w.distanceFromPricePct)} % ${dir} the price now`;
  return `${w.side}: at the ${where} ${formatQuote(w.levelPrice)} (${pos}) it liquidates at ${formatQuote(w.liquidationPrice)}${dist}`;
}

/** A wallet change as the owner reads it: "pays 0.10" or "receives 0.10". */
function paysOrReceives(change: Fixed, quoteAsset: string): string {
  return change < ZERO ? `pays ${formatQuote(-change)} ${quoteAsset}` : `receives ${formatQuote(change)} ${quoteAsset}`;
}

function fundingLine(f: FuturesGridFigures, baseAsset: string, q: string): string {
  const fu = f.funding;
  const per = `${formatPct(fu.rate * 100n)} % per ${fu.intervalHours} h`;
  const size = `${formatQty(fixed.abs(fu.fullPosition))} ${baseAsset} ${fu.fullPosition < ZERO ? 'short' : 'long'}`;
  const full = `the full position (${size}) ${paysOrReceives(fu.full, q)}`;
  const initial = f.initialPosition === undefined ? '' : `the opening position ${paysOrReceives(fu.initial, q)}; `;
  return `Funding at the coming rate ${per}: ${initial}${full} each ${fu.intervalHours} h.`;
}
