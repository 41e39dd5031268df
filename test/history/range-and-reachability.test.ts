import { describe, expect, it } from 'vitest';
import { daysIn, monthsIn, parseDayRange } from '../../src/history/day-range.js';
import { unreachableCode } from '../../src/history/unreachable.js';

describe('day ranges', () => {
  it('covers both ends, leap days and months across a year', () => {
    const range = parseDayRange('2023-12-30..2024-03-01');
    if (!range.ok) throw new Error(range.error.message);
    const days = daysIn(range.value);
    expect(days).toHaveLength(2 + 31 + 29 + 1);
    expect(days.slice(0, 3)).toEqual(['2023-12-30', '2023-12-31', '2024-01-01']);
    expect(days).toContain('2024-02-29');
    expect(monthsIn(range.value)).toEqual(['2023-12', '2024-01', '2024-02', '2024-03']);
    expect(parseDayRange('2024-01-05')).toEqual({ ok: true, value: { from: '2024-01-05', to: '2024-01-05' } });
    expect(parseDayRange('2023-02-29').ok).toBe(false);
  });
});

describe('which fetch errors mean the host cannot be reached', () => {
  // The shapes Node's fetch throws: TypeError('fetch failed') with the socket error as its cause, an AggregateError
  // of one per address when it tried several.
  const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
  const socketError = (code: string) => Object.assign(new Error(`getaddrinfo ${code} data.binance.vision`), { code });

  it('knows no DNS, refused and no route, and nothing else', () => {
    expect(unreachableCode(fetchFailed(socketError('ENOTFOUND')))).toBe('ENOTFOUND');
    expect(unreachableCode(fetchFailed(socketError('EAI_AGAIN')))).toBe('EAI_AGAIN');
    expect(unreachableCode(fetchFailed(new AggregateError([socketError('ENETUNREACH'), socketError('ECONNREFUSED')])))).toBe('ENETUNREACH');
    expect(unreachableCode(fetchFailed(socketError('ECONNRESET')))).toBeUndefined();
    expect(unreachableCode(new Error('checksum'))).toBeUndefined();
  });
});
