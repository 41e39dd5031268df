import { type Fixed, format } from '../domain/index.js';

/** A price as the symbol quotes it: the tick's decimals (0.01 → 2), or the price's own when no tick is known. */
export function priceText(price: Fixed, tickSize: Fixed | undefined): string {
  if (tickSize === undefined || tickSize <= 0n) return format(price);
  const frac = format(tickSize).split('.')[1] ?? '';
  return format(price, frac.length);
}

/** A PnL figure with its sign always shown ("+3.46", "-1.20"). */
export function signedText(value: Fixed, decimals: number): string {
  const text = format(value, decimals);
  return value > 0n ? `+${text}` : text;
}

/** A Fixed as a float, for drawing only: positions on the canvas, never a price. */
export function toNumber(value: Fixed): number {
  return Number(value) / 1e8;
}

/** An axis value echarts chose (a float that may carry binary noise) as short text, without thousands separators. */
export function axisNumber(value: number): string {
  return String(Number(value.toPrecision(10)));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time tick in UTC: "19:00", or the date ("2 Jan") at midnight, where the day changes. */
export function utcTick(ms: number): string {
  const d = new Date(ms);
  const hh = d.getUTCHours();
  const mm = d.getUTCMinutes();
  if (hh === 0 && mm === 0) return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()] as string}`;
  return `${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}`;
}

/** "▲ 8 more sell levels, to 7561" */
export function offViewCaption(arrow: '▲' | '▼', side: 'buy' | 'sell', count: number, furthest: string): string {
  return `${arrow} ${count} more ${side} level${count === 1 ? '' : 's'}, to ${furthest}`;
}
