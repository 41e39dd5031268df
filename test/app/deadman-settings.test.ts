import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';

describe("the dead-man's switch settings", () => {
  it('are off and every 5 s by default', () => {
    const res = loadConfig({});
    if (!res.ok) throw new Error(res.message);
    expect(res.config.DEADMAN_AFTER_SECONDS).toBe(0);
    expect(res.config.WATCHDOG_POLL_SECONDS).toBe(5);
  });

  it('take a bound of at least the lease, and say what is expected otherwise', () => {
    const ok = loadConfig({ DEADMAN_AFTER_SECONDS: '300', WATCHDOG_POLL_SECONDS: '2' });
    expect(ok.ok && [ok.config.DEADMAN_AFTER_SECONDS, ok.config.WATCHDOG_POLL_SECONDS]).toEqual([300, 2]);
    const short = loadConfig({ DEADMAN_AFTER_SECONDS: '10', PREFIX_LEASE_SECONDS: '20' });
    expect(short.ok ? '' : short.message).toContain(
      '  - DEADMAN_AFTER_SECONDS: expected 0 (off) or at least PREFIX_LEASE_SECONDS (20), e.g. DEADMAN_AFTER_SECONDS=300',
    );
    const bad = loadConfig({ DEADMAN_AFTER_SECONDS: '5m', WATCHDOG_POLL_SECONDS: '0' });
    expect(bad.ok ? '' : bad.message).toContain('  - DEADMAN_AFTER_SECONDS: expected a whole number, e.g. DEADMAN_AFTER_SECONDS=300');
    expect(bad.ok ? '' : bad.message).toContain('  - WATCHDOG_POLL_SECONDS: expected 1 to 60 seconds, e.g. WATCHDOG_POLL_SECONDS=5');
    const long = loadConfig({ DEADMAN_AFTER_SECONDS: '604801' });
    expect(long.ok ? '' : long.message).toContain('expected 0 (off) to 604800 seconds');
  });
});
