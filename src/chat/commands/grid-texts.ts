import { ZERO } from '../../domain/index.js';
import type { Fixed } from '../../domain/index.js';
import {
  baseFromHoldings,
  type FuturesGridPreview,
  type GridParams,
  type GridPreview,
  type GridStartReport,
  type GridTrailView,
  type LadderShape,
  holdCauseText,
} from '../../strategy/index.js';
import { formatPct, formatQty, formatQuote, formatTime, table } from '../format.js';
import { futuresMarginLines, futuresTermsText } from './futures-grid-texts.js';
import type { GridView, SymbolView } from '../services.js';
import { type Precision, gridHoldingLine, gridProfitLine } from './profit-texts.js';

/** The orders a preview places: every level except the reference rung. */
function orderCount(preview: GridPreview): number {
  return preview.levels.filter((l) => l.index !== 0).length;
}

/** "10 levels each side · 0.5 % arithmetic · 25 USDT per level · sl 90000.00 · tp 100000.00". */
function describeParams(p: GridParams, quoteAsset: string): string {
  const parts =
    p.range === undefined
      ? [
          `${p.levels} level${p.levels === 1 ? '' : 's'} each side`,
          `${formatPct(p.spacingPct)} % ${p.spacing}`,
          `${formatQuote(p.amountQuote)} ${quoteAsset} per level`,
        ]
      : rangeParts(p, quoteAsset);
  if (p.stopLoss !== undefined) parts.push(`sl ${formatQuote(p.stopLoss)}`);
  if (p.takeProfit !== undefined) parts.push(`tp ${formatQuote(p.takeProfit)}`);
  if (p.trigger !== undefined) parts.push(`at ${formatQuote(p.trigger)}`);
  if (p.trailUp !== undefined)
    parts.push(p.trailUp.limit !== undefined ? `trailing up to ${formatQuote(p.trailUp.limit)}` : 'trailing up (no limit)');
  if (p.trailDown !== undefined)
    parts.push(p.trailDown.limit !== undefined ? `trailing down to ${formatQuote(p.trailDown.limit)}` : 'trailing down (no limit)');
  return parts.join(' · ');
}

/** "90000.00–100000.00 · 20 grids arithmetic · 50.00 USDT per grid (1000.00 USDT in all)". */
function rangeParts(p: GridParams, quoteAsset: string): string[] {
  const r = p.range;
  if (r === undefined) return [];
  const total = r.investQuote !== undefined ? ` (${formatQuote(r.investQuote)} ${quoteAsset} in all)` : '';
  return [
    `${formatQuote(r.lower)}–${formatQuote(r.upper)}`,
    `${r.grids} grids ${p.spacing}`,
    `${formatQuote(p.amountQuote)} ${quoteAsset} per grid${total}`,
  ];
}

/** "500.00" or "473.66–526.32": one figure when the least and most agree. */
function span(min: Fixed, max: Fixed, show: (v: Fixed) => string): string {
  return show(min) === show(max) ? show(min) : `${show(min)}–${show(max)}`;
}

/** The same ladder read both ways: as a range with a number of grids, and as a spacing in price and percent. */
function shapeLines(s: LadderShape, baseAsset: string, quoteAsset: string): string[] {
  return [
    `Range: ${formatQuote(s.lower)}–${formatQuote(s.upper)} ${quoteAsset}, ${s.grids} grid${s.grids === 1 ? '' : 's'}`,
    `Spacing: ${span(s.stepPrice.min, s.stepPrice.max, formatQuote)} ${quoteAsset} ` +
      `(${span(s.stepPct.min, s.stepPct.max, formatPct)} %)`,
    `Per grid: ${span(s.quantity.min, s.quantity.max, formatQty)} ${baseAsset}`,
  ];
}

function signedIndex(i: number): string {
  return i > 0 ? `+${i}` : String(i);
}

/** The whole ladder from the highest sell down to the lowest buy, with the reference price where the sides meet. */
function ladderRows(preview: GridPreview): string[][] {
  const rows: string[][] = [['#', 'side', 'price', 'qty']];
  const levels = [...preview.levels].sort((a, b) => b.index - a.index);
  // The ladder is priced at the trigger when there is one; a range grid's level 0 is its line nearest that price.
  const at = preview.params.trigger !== undefined ? 'trigger' : 'price now';
  const reference =
    preview.params.range !== undefined && preview.shape
      ? ['0', '—', formatQuote(preview.shape.centre), `no order (${at} ${formatQuote(preview.referencePrice)})`]
      : ['0', '—', formatQuote(preview.referencePrice), at];
  let markedReference = false;
  for (const level of levels) {
    if (level.index === 0) continue;
    if (!markedReference && level.index < 0) {
      rows.push(reference);
      markedReference = true;
    }
    rows.push([signedIndex(level.index), level.side, formatQuote(level.price), formatQty(level.quantity)]);
  }
  if (!markedReference) rows.push(reference);
  return rows;
}

/** "Each level buys 0.00105 to sell 0.00104 after the 0.1 % fee …": only when buys are sized up for a fee in base. */
function feeSizingLine(preview: GridPreview): string[] {
  const f = preview.feeSizing;
  if (f === undefined) return [];
  return [
    `Each level keeps its size: buys ${formatQty(f.buy)} to sell ${formatQty(f.sell)} after the ${formatPct(f.feeRate * 100n)} % fee ` +
      `(taken in ${preview.baseAsset}); the rest is the grid's dust, sold when it ends.`,
  ];
}

/** What trailing will do, said before the owner confirms (strategy/grid/README.md "Trailing"). */
function trailLines(p: GridParams, quoteAsset: string): string[] {
  const out: string[] = [];
  if (p.trailUp !== undefined) {
    const limit = p.trailUp.limit !== undefined ? `up to ${formatQuote(p.trailUp.limit)} ${quoteAsset}` : 'with no limit';
    out.push(
      `Trailing up is on, ${limit}: when the market trades above the top line and every sell has filled, the grid ` +
        'moves up one line: it cancels its lowest buy, buys the new top line at market and places its sell there.',
    );
  }
  if (p.trailDown !== undefined) {
    const limit = p.trailDown.limit !== undefined ? `down to ${formatQuote(p.trailDown.limit)} ${quoteAsset}` : 'with no limit';
    out.push(
      `Trailing down is on, ${limit}: when the market trades below the bottom line and every buy has filled, the grid ` +
        'moves down one line: it cancels its highest sell and places a buy at the new bottom line.',
    );
  }
  return out;
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
    ...(preview.volatility?.auto !== undefined ? [`Auto: ${preview.volatility.auto}`] : []),
    ...(preview.volatility !== undefined ? [`Volatility: ${preview.volatility.line}`] : []),
    ...(preview.marketPrice !== undefined && p.trigger !== undefined
      ? [
          `Waits for the market (now ${formatQuote(preview.marketPrice)}) to trade at ${formatQuote(p.trigger)}; ` +
            'the ladder below is priced there and placed then.',
        ]
      : []),
    ...(preview.shape ? shapeLines(preview.shape, b, q) : []),
    ...trailLines(p, q),
    '',
    'Levels:',
    ...table(ladderRows(preview)),
    ...feeSizingLine(preview),
  ];
  if (isFuturesPreview(preview)) {
    lines.splice(2, 0, futuresTermsText(preview.futures.terms));
    lines.push(...futuresMarginLines(preview.futures, b, q));
  } else {
    lines.push(
      '',
      'Capital needed:',
      `  buys:  ${formatQuote(preview.quoteForBuys)} ${q}`,
      `  sells: ${formatQty(preview.baseForSells)} ${b}`,
    );
    spotCapitalLines(preview, lines);
  }
  const pg = preview.profitPerGrid;
  lines.push(
    '',
    // makerFee is a fraction (0.001); times 100 is exact in bigint and reads as a percent.
    `Profit per grid, net of ${formatPct(preview.makerFee * 100n)} % maker fees: ${formatPct(pg.minPct)}–${formatPct(pg.maxPct)} % ` +
      `(${formatQuote(pg.minQuote)}–${formatQuote(pg.maxQuote)} ${q})`,
  );
  if (pg.minQuote <= ZERO) lines.push('⚠️ At least one grid step earns nothing or loses after fees.');
  for (const w of preview.warnings) lines.push(`⚠️ ${w.message}`);
  const after = preview.marketBuy
    ? ` (after a market buy of ${formatQty(preview.marketBuy.quantity)} ${b})`
    : preview.marketSell
      ? ` (after a market sell of ${formatQty(preview.marketSell.quantity)} ${b})`
      : '';
  lines.push('', `Confirm to place ${n} order${n === 1 ? '' : 's'}${after}.`);
  return lines.join('\n');
}

function isFuturesPreview(p: GridPreview): p is FuturesGridPreview {
  return (p as Partial<FuturesGridPreview>).futures !== undefined;
}

/** A spot grid's capital: coins taken from holdings, the market buy, and the total. */
function spotCapitalLines(preview: GridPreview, lines: string[]): void {
  const q = preview.quoteAsset;
  const b = preview.baseAsset;
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
}

/** One grid in /grids; `exact` (as `/grids G1` shows one grid) prints every decimal the books keep. */
export function gridSummaryText(g: GridView, quoteAsset: string, precision: Precision = 'chat', sym?: SymbolView): string {
  const state =
    g.status === 'stopped' && g.stopReason
      ? `stopped (${g.stopReason})`
      : g.status === 'waiting' && g.params.trigger !== undefined
        ? `waiting for ${formatQuote(g.params.trigger)}`
        : g.status;
  const holding = gridHoldingLine(g.pnl, sym?.baseAsset ?? '', sym, precision, g.params.futures !== undefined);
  const lines = [
    `${g.gridId} · ${g.symbol} · ${state}`,
    `  ${describeParams(g.params, quoteAsset)}`,
    `  ${g.openOrders} open orders · ${g.roundTrips} round trips · started ${formatTime(g.startedAt)}`,
    `  ${gridProfitLine(g.pnl, g.profit, quoteAsset, precision)}`,
    ...(holding ? [`  ${holding}`] : []),
  ];
  const t = g.trail;
  if (t !== undefined) lines.push(`  ${trailSummary(g.params, t)}`);
  // Dust: base the grid's sized-up buys delivered over their levels' sells (strategy/grid/README.md, Re-arming).
  if (g.dustBase !== undefined && g.dustBase > ZERO)
    lines.push(`  dust: ${formatQty(g.dustBase)} ${g.baseAsset ?? ''}, sold when the grid ends`);
  // Re-arms refused for a passing reason: the grid is short of these levels until the reason clears.
  for (const w of g.waiting ?? [])
    lines.push(`  ⏳ ${w.count} level${w.count === 1 ? '' : 's'} waiting: ${holdCauseText(w.cause)} (since ${formatTime(w.since)})`);
  const issues = g.issues ?? [];
  const last = issues[issues.length - 1];
  if (last)
    lines.push(
      `  ⚠️ ${issues.length} order issue${issues.length === 1 ? '' : 's'}; ` +
        `latest: level ${last.level} ${last.side} ${last.code}: ${last.message}`,
    );
  return lines.join('\n');
}

/** "trailing up to 75000.00 · 4 moves · now 61000.00–66000.00 (limit reached)". */
function trailSummary(p: GridParams, t: GridTrailView): string {
  const parts: string[] = [];
  const moves = (n: number) => `${n} move${n === 1 ? '' : 's'}`;
  if (p.trailUp !== undefined) {
    const to = p.trailUp.limit !== undefined ? `trailing up to ${formatQuote(p.trailUp.limit)}` : 'trailing up';
    parts.push(`${to} · ${moves(t.movesUp)}${t.upLimitReached ? ' (limit reached)' : ''}`);
  }
  if (p.trailDown !== undefined) {
    const to = p.trailDown.limit !== undefined ? `trailing down to ${formatQuote(p.trailDown.limit)}` : 'trailing down';
    parts.push(`${to} · ${moves(t.movesDown)}${t.downLimitReached ? ' (limit reached)' : ''}`);
  }
  parts.push(`now ${formatQuote(t.lowPrice)}–${formatQuote(t.highPrice)}`);
  if (t.off !== undefined) parts.push(`trailing off: ${t.off}`);
  return parts.join(' · ');
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

/** The answer to a confirmed grid with a trigger: nothing is placed yet, and what will happen when. */
export function gridWaitingText(preview: GridPreview, r: GridStartReport): string {
  const p = preview.params;
  const n = orderCount(preview);
  const now = preview.marketPrice !== undefined ? ` (now ${formatQuote(preview.marketPrice)})` : '';
  return [
    `⏳ Grid ${r.gridId} on ${p.symbol} is confirmed and waiting: its ${n} order${n === 1 ? '' : 's'} go out when ` +
      `${p.symbol} trades at ${formatQuote(p.trigger ?? preview.referencePrice)}${now}. You will be told when it does.`,
    `/grids shows it; /stop ${r.gridId} cancels it before then.`,
  ].join('\n');
}
