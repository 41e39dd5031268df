import { describe, expect, it } from 'vitest';
import { fundingTimesBetween, isFundingTime, nextFundingTime } from '../../../src/domain/index.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('funding schedule', () => {
  it('settles every 8 h at 00:00, 08:00 and 16:00 UTC by default', () => {
    const day = fundingTimesBetween(at('2025-05-05T00:00:00Z') - 1, at('2025-05-05T23:59:59.999Z'));
    expect(day.map(iso)).toEqual(['2025-05-05T00:00:00.000Z', '2025-05-05T08:00:00.000Z', '2025-05-05T16:00:00.000Z']);
    expect(isFundingTime(at('2025-05-05T16:00:00Z'))).toBe(true);
    expect(isFundingTime(at('2025-05-05T16:00:00.001Z'))).toBe(false);
  });

  it('shows the next settlement strictly after t: a boundary instant already points at the one after', () => {
    expect(iso(nextFundingTime(at('2025-05-05T07:59:59.999Z')))).toBe('2025-05-05T08:00:00.000Z');
    expect(iso(nextFundingTime(at('2025-05-05T08:00:00Z')))).toBe('2025-05-05T16:00:00.000Z');
    expect(iso(nextFundingTime(at('2025-05-05T16:00:00.001Z')))).toBe('2025-05-06T00:00:00.000Z');
  });

  it('follows 4 h and 1 h intervals', () => {
    expect(fundingTimesBetween(at('2025-05-05T00:00:00Z'), at('2025-05-05T12:00:00Z'), 4).map(iso)).toEqual([
      '2025-05-05T04:00:00.000Z',
      '2025-05-05T08:00:00.000Z',
      '2025-05-05T12:00:00.000Z',
    ]);
    expect(iso(nextFundingTime(at('2025-05-05T13:30:00Z'), 4))).toBe('2025-05-05T16:00:00.000Z');
    expect(iso(nextFundingTime(at('2025-05-05T13:30:00Z'), 1))).toBe('2025-05-05T14:00:00.000Z');
    expect(fundingTimesBetween(at('2025-05-05T13:30:00Z'), at('2025-05-05T16:00:00Z'), 1)).toHaveLength(3);
    expect(isFundingTime(at('2025-05-05T13:00:00Z'), 1)).toBe(true);
    expect(isFundingTime(at('2025-05-05T13:00:00Z'), 4)).toBe(false);
  });

  it('refuses an interval that would not land on the same clock times every day', () => {
    expect(() => nextFundingTime(0, 5)).toThrow(/dividing 24/);
    expect(() => nextFundingTime(0, 0)).toThrow(/dividing 24/);
  });

  it('replays a window across midnight in any chunking with none missed and none doubled', () => {
    const t0 = at('2025-05-05T15:59:59.999Z');
    const t1 = at('2025-05-06T08:00:00Z');
    const whole = fundingTimesBetween(t0, t1);
    expect(whole.map(iso)).toEqual(['2025-05-05T16:00:00.000Z', '2025-05-06T00:00:00.000Z', '2025-05-06T08:00:00.000Z']);

    // A replay at speed advances the clock in uneven jumps, and a restart resumes from the last instant it reached:
    // cuts exactly on a settlement, 1 ms either side of one, and a long jump over two.
    const cuts = [t0, at('2025-05-05T16:00:00Z'), at('2025-05-05T23:59:59.999Z'), at('2025-05-06T00:00:00.001Z'), t1];
    const chunked = cuts.slice(1).flatMap((end, i) => fundingTimesBetween(cuts[i] as number, end));
    expect(chunked).toEqual(whole);
    // The same window one millisecond at a time around each settlement gives the same answer.
    const fine: number[] = [];
    for (const s of whole) for (let t = s - 2; t < s + 2; t++) fine.push(...fundingTimesBetween(t, t + 1));
    expect(fine).toEqual(whole);
    expect(fundingTimesBetween(t1, t1)).toEqual([]);
  });
});
