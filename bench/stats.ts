/** Small helpers every benchmark shares: percentiles and the one-line JSON report. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at] as number;
}

export function report(fields: { bench: string; value: number; unit: string; floor: number } & Record<string, unknown>): void {
  const round = (x: unknown) => (typeof x === 'number' && !Number.isInteger(x) ? Number(x.toPrecision(6)) : x);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries({ ...fields, ratio: fields.value / fields.floor })) out[k] = round(v);
  // ratio sits right after floor, as the team's format asks
  const { bench, value, unit, floor, ratio, ...rest } = out;
  process.stdout.write(`${JSON.stringify({ bench, value, unit, floor, ratio, ...rest })}\n`);
}

export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
