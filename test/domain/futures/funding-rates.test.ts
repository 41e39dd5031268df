import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FundingRateSeries,
  constantFundingRate,
  fundingTimesBetween,
  fx,
  isFundingTime,
  parseFundingRateCsv,
} from '../../../src/domain/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const DIR = path.resolve(repoRoot, '../shared/data/futures/um/fundingRate');
const file = (name: string): { name: string; text: string } => ({ name, text: readFileSync(path.join(DIR, name), 'utf8') });
const MONTHS_2025 = ['BTCUSDT-fundingRate-2025-04.csv', 'BTCUSDT-fundingRate-2025-05.csv', 'BTCUSDT-fundingRate-2025-06.csv'];
const at = (iso: string): number => Date.parse(iso);

function series(names: readonly string[]): FundingRateSeries {
  const r = FundingRateSeries.fromFiles(names.map(file));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('funding-rate CSV (real Binance files)', () => {
  it('reads every month, every row on an 8 h settlement despite calc_time jitter', () => {
    for (const name of [...MONTHS_2025, 'BTCUSDT-fundingRate-2026-04.csv']) {
      const r = parseFundingRateCsv(file(name).text, name);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.every((row) => row.intervalHours === 8 && isFundingTime(row.fundingTime, 8))).toBe(true);
      expect(r.value.every((row) => row.markPrice === undefined)).toBe(true);
    }
  });

  it('joins April to June 2025 into one series covering every settlement of the span, rates exact', () => {
    const s = series(MONTHS_2025);
    // The first row of April is calc_time 1743465600000 (2025-04-01 00:00), 0.00003961; the second 1743494400001 (+1 ms jitter).
    expect(s.rateAt(at('2025-04-01T00:00:00Z'))).toEqual({ kind: 'rate', rate: fx('0.00003961') });
    expect(s.rateAt(at('2025-04-01T08:00:00Z'))).toEqual({ kind: 'rate', rate: fx('0.00002889') });
    expect(s.rateAt(at('2025-05-01T16:00:00Z'))).toEqual({ kind: 'rate', rate: fx('-0.00008028') });
    const span = fundingTimesBetween(at('2025-04-01T00:00:00Z') - 1, at('2025-06-03T00:00:00Z') - 1);
    expect(span.filter((t) => s.rateAt(t).kind !== 'rate')).toEqual([]);
  });

  it('answers missing with the reason outside the series, in a hole, and off the settlement instants', () => {
    const s = series(['BTCUSDT-fundingRate-2025-04.csv', 'BTCUSDT-fundingRate-2026-04.csv']);
    expect(s.rateAt(at('2025-03-31T16:00:00Z'))).toEqual({ kind: 'missing', reason: 'beforeSeries' });
    expect(s.rateAt(at('2025-05-01T00:00:00Z'))).toEqual({ kind: 'missing', reason: 'gap' });
    expect(s.rateAt(at('2026-04-01T00:00:00Z')).kind).toBe('rate');
    expect(s.rateAt(at('2026-05-01T00:00:00Z'))).toEqual({ kind: 'missing', reason: 'afterSeries' });
    // Lookup is by exact settlement instant: the raw jittered calc_time is not one.
    expect(s.rateAt(1743494400001).kind).toBe('missing');
  });

  it('refuses files out of order', () => {
    const r = FundingRateSeries.fromFiles([file(MONTHS_2025[1] as string), file(MONTHS_2025[0] as string)]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/^BTCUSDT-fundingRate-2025-04\.csv line 2: .*not after/);
  });
});

describe('funding-rate CSV: malformed rows are refused, naming file and line', () => {
  const HEAD = 'calc_time,funding_interval_hours,last_funding_rate';
  const GOOD = '1746057600000,8,0.00003519';
  const refuse = (text: string): string => {
    const r = parseFundingRateCsv(text, 'x.csv');
    if (r.ok) throw new Error('accepted');
    expect(r.error.code).toBe('FUNDING_RATE_CSV');
    return r.error.message;
  };

  it.each([
    ['a wrong header', 'fundingTime,fundingRate\n1746057600000,0.0001', /^x\.csv line 1: header/],
    ['a missing field', `${HEAD}\n${GOOD}\n1746086400000,8`, /^x\.csv line 3: 2 fields/],
    ['a time in seconds', `${HEAD}\n1746057600,8,0.0001`, /^x\.csv line 2: calc_time "1746057600"/],
    ['a time in µs', `${HEAD}\n1746057600000000,8,0.0001`, /^x\.csv line 2: calc_time/],
    ['a rate that is not a number', `${HEAD}\n${GOOD}\n1746086400000,8,abc`, /^x\.csv line 3: last_funding_rate "abc"/],
    ['a rate with 9 decimals', `${HEAD}\n1746057600000,8,0.000035191`, /^x\.csv line 2: last_funding_rate/],
    ['an interval of 5 h', `${HEAD}\n1746057600000,5,0.0001`, /^x\.csv line 2: funding_interval_hours "5"/],
    ['a time off the schedule', `${HEAD}\n1746061200000,8,0.0001`, /^x\.csv line 2: calc_time 1746061200000 is 3600000 ms from/],
    [
      'a duplicate settlement',
      `${HEAD}\n${GOOD}\n1746057600002,8,0.0001`,
      /^x\.csv line 3: settlement 2025-05-01T00:00:00\.000Z does not follow/,
    ],
    ['rows going back in time', `${HEAD}\n1746086400000,8,0.0001\n${GOOD}`, /^x\.csv line 3: settlement/],
    ['a negative mark price', `${HEAD},mark_price\n${GOOD},-1`, /^x\.csv line 2: mark_price "-1"/],
    ['no rows', `${HEAD}\n`, /^x\.csv line 2: no rows/],
  ])('%s', (_what, text, message) => {
    expect(refuse(text)).toMatch(message);
  });

  it('keeps the mark price when the file carries one', () => {
    const r = parseFundingRateCsv(`${HEAD},mark_price\r\n1746057600001,8,0.00003519,94130.75\r\n`, 'x.csv');
    expect(r).toEqual({
      ok: true,
      value: [{ fundingTime: 1746057600000, intervalHours: 8, rate: fx('0.00003519'), markPrice: fx('94130.75') }],
    });
  });
});

describe('constant funding rate', () => {
  it('answers the same rate at every settlement', () => {
    const c = constantFundingRate(fx('0.0001'));
    expect(c.rateAt(0)).toEqual({ kind: 'rate', rate: fx('0.0001') });
    expect(c.rateAt(at('2030-01-01T08:00:00Z'))).toEqual({ kind: 'rate', rate: fx('0.0001') });
  });
});
