import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { historyRetentionOf } from '../../src/app/trading-kernel.js';

const DAY_MS = 86_400_000;

describe('the retention settings (what Redis keeps and for how long)', () => {
  it('default to a week of finished orders, a month of fills, 90 days of audit, and the queues kept short', () => {
    const res = loadConfig({});
    if (!res.ok) throw new Error(res.message);
    const c = res.config;
    expect([c.FINISHED_ORDERS_KEEP_DAYS, c.FINISHED_ORDERS_KEEP_MAX, c.FILLS_KEEP_DAYS, c.FILLS_KEEP_MAX]).toEqual([
      7, 10_000, 30, 100_000,
    ]);
    expect([c.AUDIT_KEEP_DAYS, c.AUDIT_MAX_ENTRIES, c.QUEUE_EVENTS_MAX_LEN, c.QUEUE_JOBS_KEEP]).toEqual([90, 100_000, 10_000, 1_000]);
    expect(historyRetentionOf(c)).toEqual({
      finishedOrders: { maxAgeMs: 7 * DAY_MS, maxCount: 10_000 },
      fills: { maxAgeMs: 30 * DAY_MS, maxCount: 100_000 },
    });
  });

  it('take fractions of a day, and refuse what cannot be meant, naming the form', () => {
    const res = loadConfig({ FINISHED_ORDERS_KEEP_DAYS: '0.25', FILLS_KEEP_DAYS: '1.5' });
    if (!res.ok) throw new Error(res.message);
    expect(historyRetentionOf(res.config).finishedOrders.maxAgeMs).toBe(6 * 3_600_000);
    expect(historyRetentionOf(res.config).fills.maxAgeMs).toBe(36 * 3_600_000);
    const refused = (env: Record<string, string>) => {
      const r = loadConfig(env);
      return r.ok ? '' : r.message;
    };
    expect(refused({ AUDIT_KEEP_DAYS: '0' })).toContain(
      'AUDIT_KEEP_DAYS: expected 0.01 (about 15 minutes) to 3650 days, e.g. AUDIT_KEEP_DAYS=90',
    );
    expect(refused({ FILLS_KEEP_DAYS: '2d' })).toContain(
      'FILLS_KEEP_DAYS: expected a number of days, fractions allowed, e.g. FILLS_KEEP_DAYS=30',
    );
    expect(refused({ FINISHED_ORDERS_KEEP_MAX: '5' })).toContain('FINISHED_ORDERS_KEEP_MAX: expected 100 to 10000000');
    expect(refused({ QUEUE_EVENTS_MAX_LEN: '10' })).toContain('QUEUE_EVENTS_MAX_LEN: expected 100 to 1000000');
    expect(refused({ QUEUE_JOBS_KEEP: 'many' })).toContain('QUEUE_JOBS_KEEP: expected a whole number');
  });
});
