import { ZERO } from '../../domain/index.js';
import { type GridParams, type GridPreview, type GridStartReport, baseFromHoldings } from '../../strategy/index.js';
import { formatPct, formatQty, formatQuote, formatTime, table } from '../format.js';
import type { GridView, SymbolView } from '../services.js';
import { type Precision, gridHoldingLine, gridProfitLine } from './profit-texts.js';

/** The orders a preview places: every level except the reference rung. */
function orderCount(preview: GridPreview): number {
  return preview.levels.filter((l) => l.index !== 0).length;
}

/** "10 levels each side · 0.5 % arithmetic · 25 USDT per level · sl 90000.00 · tp 100000.00". */
function describeParams(p: GridParams, quoteAsset: string): string {
  const parts = [
    `${p.levels} level${p.levels === 1 ? '' : 's'} each side`,
    `${formatPct(p.spacingPct)} % ${p.spacing}`,
    `${formatQuote(p.amountQuote)} ${quoteAsset} per level`,
  ];
  if (p.stopLoss !== undefined) parts.push(`sl ${formatQuote(p.stopLoss)}`);
  if (p.takeProfit !== undefined) parts.push(`tp ${formatQuote(p.takeProfit)}`);
  return parts.join(' · ');
}

function signedIndex(i: number): string {
  return i > 0 ? `+${i}` : String(i);
}

/** The whole ladder from the highest sell down to the lowest buy, with the reference price where the sides meet. */
function ladderRows(preview: GridPreview): string[][] {
  const rows: string[][] = [['#', 'side', 'price', 'qty']];
  const levels = [...preview.levels].sort((a, b) => b.index - a.index);
  let markedReference = false;
  for (const level of levels) {
    if (level.index === 0) continue;
    if (!markedReference && level.index < 0) {
      rows.push(['0', '—', formatQuote(preview.referencePrice), 'price now']);
      markedReference = true;
    }
    rows.push([signedIndex(level.index), level.side, formatQuote(level.price), formatQty(level.quantity)]);
  }
  if (!markedReference) rows.push(['0', '—', formatQuote(preview.referencePrice), 'price now']);
  return rows;
}

/** Everything the owner must see before a grid goes live; ends with what confirming will do. */
export function gridPreviewText(preview: GridPreview): string {
  const p = preview.params;
  const q = preview.quoteAsset;
  const b = preview.baseAsset;
  const n = orderCount(preview);
  const lines = [
    `📐 Grid preview for ${p.symbol}`,
    describeParams(p, q),
    `Reference price: ${formatQuote(preview.referencePrice)} ${q}`,
    '',
    'Levels:',
    ...table(ladderRows(preview)),
    '',
    'Capital needed:',
    `  buys:  ${formatQuote(preview.quoteForBuys)} ${q}`,
    `  sells: ${formatQty(preview.baseForSells)} ${b}`,
  ];
  const held = baseFromHoldings(preview);
  if (held > ZERO)
    lines.push(
      `  ${formatQty(held)} ${b} of it from coins you hold: they enter the grid's books at ` +
        `${formatQuote(preview.referencePrice)} (the price now), as if bought then`,
    );
  if (preview.marketBuy) {
    lines.push(`  market buy first: ${formatQty(preview.marketBuy.quantity)} ${b} ≈ ${formatQuote(preview.marketBuy.estimatedQuote)} ${q}`);
  }
  lines.push(`  total: ${formatQuote(preview.quoteNeeded)} ${q}`);
  const pg = preview.profitPerGrid;
  lines.push(
    '',
    // makerFee is a fraction (0.001); times 100 is exact in bigint and reads as a percent.
    `Profit per grid, net of ${formatPct(preview.makerFee * 100n)} % maker fees: ${formatPct(pg.minPct)}–${formatPct(pg.maxPct)} % ` +
      `(${formatQuote(pg.minQuote)}–${formatQuote(pg.maxQuote)} ${q})`,
  );
  if (pg.minQuote <= ZERO) lines.push('⚠️ At least one grid step earns nothing or loses after fees.');
  for (const w of preview.warnings) lines.push(`⚠️ ${w.message}`);
  const after = preview.marketBuy ? ` (after a market buy of ${formatQty(preview.marketBuy.quantity)} ${b})` : '';
  lines.push('', `Confirm to place ${n} order${n === 1 ? '' : 's'}${after}.`);
  return lines.join('\n');
}

/** One grid in /grids; `exact` (as `/grids G1` shows one grid) prints every decimal the books keep. */
export function gridSummaryText(g: GridView, quoteAsset: string, precision: Precision = 'chat', sym?: SymbolView): string {
  const state = g.status === 'stopped' && g.stopReason ? `stopped (${g.stopReason})` : g.status;
  const holding = gridHoldingLine(g.pnl, sym?.baseAsset ?? '', sym, precision);
  const lines = [
    `${g.gridId} · ${g.symbol} · ${state}`,
    `  ${describeParams(g.params, quoteAsset)}`,
    `  ${g.openOrders} open orders · ${g.roundTrips} round trips · started ${formatTime(g.startedAt)}`,
    `  ${gridProfitLine(g.pnl, g.profit, quoteAsset, precision)}`,
    ...(holding ? [`  ${holding}`] : []),
  ];
  const issues = g.issues ?? [];
  const last = issues[issues.length - 1];
  if (last)
    lines.push(
      `  ⚠️ ${issues.length} order issue${issues.length === 1 ? '' : 's'}; ` +
        `latest: level ${last.level} ${last.side} ${last.code}: ${last.message}`,
    );
  return lines.join('\n');
}

/**
 * The answer to a confirmed grid: what went out, what waits for the market buy, and, when the risk gate refused some
 * orders, how many and why (the owner decides whether a grid with holes is what they want).
 */
export function gridStartedText(symbol: string, r: GridStartReport): string {
  const all = r.placed === r.requested;
  const lines = [`✅ Grid ${r.gridId} started on ${symbol}: placing ${all ? `${r.placed}` : `${r.placed} of ${r.requested}`} orders.`];
  if (r.waiting > 0) lines.push(`The ${r.waiting} sell levels follow once the market buy has filled.`);
  if (!all) {
    lines.push(`⚠️ ${r.requested - r.placed} refused by the risk gate:`);
    for (const x of r.refused) lines.push(`  ${x.count} × ${x.code}: ${x.message}`);
  }
  lines.push(`Fills are reported here; /grids shows progress, /stop ${r.gridId} stops it.`);
  return lines.join('\n');
}
