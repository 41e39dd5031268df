import { type Fixed, ZERO, format } from '../domain/index.js';

/** Pads a trimmed decimal string to at least `minDecimals` places; works on text so no float ever touches money. */
function padDecimals(text: string, minDecimals: number): string {
  const dot = text.indexOf('.');
  const have = dot < 0 ? 0 : text.length - dot - 1;
  if (have >= minDecimals) return text;
  return `${text}${dot < 0 ? '.' : ''}${'0'.repeat(minDecimals - have)}`;
}

/** A quote amount or price: every significant decimal (at most 8), but never fewer than 2 ("94525.00", "0.00012345"). */
export function formatQuote(value: Fixed): string {
  return padDecimals(format(value), 2);
}

/** A base quantity or any plain number: trailing zeros trimmed. */
export function formatQty(value: Fixed): string {
  return format(value);
}

/** A signed quote amount: "+0.42", "-1.50", "0.00". */
export function formatSigned(value: Fixed): string {
  return value > ZERO ? `+${formatQuote(value)}` : formatQuote(value);
}

/** A percentage value (0.5 means 0.5 %), rounded half-even to at most 4 decimals with trailing zeros trimmed. */
export function formatPct(value: Fixed): string {
  const fixed4 = format(value, 4);
  return fixed4.includes('.') ? fixed4.replace(/0+$/, '').replace(/\.$/, '') : fixed4;
}

/** A duration in ms as "3d 4h", "2h 05m", "4m 07s" or "12.3 s"; time is not money, so number arithmetic is fine. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  return `${m}m ${two(sec)}s`;
}

/** A UTC timestamp to the minute, e.g. "2025-01-31 14:05 UTC". */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Left-aligns each column to its widest cell, so tables stay readable in monospace and harmless elsewhere. */
export function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
  );
}

/** Joins names as "a, b and c". */
export function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
