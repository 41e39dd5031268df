import { formatPct, money, signedMoney, signedPercent } from '../../chat/index.js';
import { format } from '../../domain/index.js';
import type { BacktestReport } from './backtest-types.js';

const COLUMNS = ['levels', 'spacing %', 'round trips', 'grid profit', 'total %', 'APR %', 'max DD %'] as const;

/** Higher total return first; ties by fewer levels, then tighter spacing, so the order never depends on run order. */
function byReturn(a: BacktestReport, b: BacktestReport): number {
  const d = b.grid.returnPct - a.grid.returnPct;
  if (d !== 0n) return d > 0n ? 1 : -1;
  const pa = a.preview.params;
  const pb = b.preview.params;
  return pa.levels - pb.levels || (pa.spacingPct < pb.spacingPct ? -1 : pa.spacingPct > pb.spacingPct ? 1 : 0);
}

/** A sweep's reports, best first by the grid's total return. */
export function rankByReturn(reports: readonly BacktestReport[]): BacktestReport[] {
  return [...reports].sort(byReturn);
}

/**
 * The first `top` of `ranked` as a table in fixed-width columns (grid profit in the quote asset, percents of each
 * grid's own investment), then holding once: the same for every row but for the investment, said for the best's.
 */
export function sweepTable(ranked: readonly BacktestReport[], top: number): string[] {
  const best = ranked[0];
  if (best === undefined) return [];
  const q = best.preview.quoteAsset;
  const rows = ranked
    .slice(0, top)
    .map((r) => [
      String(r.preview.params.levels),
      formatPct(r.preview.params.spacingPct),
      String(r.roundTrips),
      signedMoney(r.gridProfit),
      signedPercent(r.grid.returnPct),
      signedPercent(r.grid.aprPct),
      format(r.grid.maxDrawdownPct, 2),
    ]);
  const widths = COLUMNS.map((title, c) => Math.max(title.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padStart(widths[c] as number)).join('  ');
  const h = best.hold;
  return [
    `Best ${rows.length} of ${ranked.length} by total return (grid profit in ${q}; percents of each grid's investment):`,
    line(COLUMNS),
    ...rows.map(line),
    `Holding instead (the best grid's ${money(best.investment)} ${q}): ${signedMoney(h.totalPnl)} ${q} ` +
      `(${signedPercent(h.returnPct)} %, APR ${signedPercent(h.aprPct)} %), max drawdown ${format(h.maxDrawdownPct, 2)} %`,
  ];
}
