import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { fitToTape, largestGapMs, staleLimits } from '../../src/app/stale-limits.js';
import { loadTape } from '../../src/sandbox/index.js';

const TAPE = fileURLToPath(new URL('../../../shared/data/BTCUSDT-1m-2020-01-01.csv', import.meta.url));

function config(env: Record<string, string> = {}) {
  const c = loadConfig(env);
  if (!c.ok) throw new Error(c.message);
  return c.config;
}

describe('stale limits (issue 9)', () => {
  it('defaults: 45 s quiet for risk and feed, 60 s without a frame for a dead socket', () => {
    expect(staleLimits(config())).toEqual({ riskMs: 45_000, quietMs: 45_000, deadMs: 60_000 });
  });

  it('the feed quiet rule follows RISK_STALE_AFTER_SECONDS unless set, so 0 there turns both off', () => {
    expect(staleLimits(config({ RISK_STALE_AFTER_SECONDS: '0' }))).toEqual({ riskMs: 0, quietMs: 0, deadMs: 60_000 });
    expect(
      staleLimits(config({ RISK_STALE_AFTER_SECONDS: '0', MARKET_STALE_AFTER_SECONDS: '90', MARKET_DEAD_AFTER_SECONDS: '0' })),
    ).toEqual({
      riskMs: 0,
      quietMs: 90_000,
      deadMs: 0,
    });
  });

  it('refuses a dead-socket limit a healthy socket between two of Binance’s 20 s pings could reach', () => {
    const c = loadConfig({ MARKET_DEAD_AFTER_SECONDS: '15' });
    expect(c.ok).toBe(false);
    expect(c.ok ? '' : c.message).toContain('MARKET_DEAD_AFTER_SECONDS');
  });

  it("measures the 1m kline tape's longest gap: 30 s between a bar's mid-point trade and its close", () => {
    const tape = loadTape(TAPE);
    if (!tape.ok) throw new Error(tape.error.message);
    expect(largestGapMs(tape.value.ticks)).toBe(29_999);
  });

  it("raises the quiet limits of the bot's own tape to twice its longest gap at the speed; off stays off", () => {
    const limits = { riskMs: 45_000, quietMs: 45_000, deadMs: 60_000 };
    expect(fitToTape(limits, 29_999, 1)).toEqual({ riskMs: 59_998, quietMs: 59_998, deadMs: 60_000 });
    expect(fitToTape(limits, 29_999, 60)).toEqual(limits);
    expect(fitToTape(limits, 29_999, 0.25)).toEqual({ riskMs: 239_992, quietMs: 239_992, deadMs: 60_000 });
    expect(fitToTape({ riskMs: 0, quietMs: 0, deadMs: 0 }, 29_999, 0.25)).toEqual({ riskMs: 0, quietMs: 0, deadMs: 0 });
  });

  it('fits only a tape the bot plays itself: a sandbox named by BINANCE_* keeps the settings', () => {
    const replay = { MARKET_DATA: `replay:${TAPE}`, MARKET_SPEED: '0.5' };
    expect(staleLimits(config(replay), { largestGapMs: 29_999 }).riskMs).toBe(119_996);
    const external = {
      ...replay,
      BINANCE_HTTP_BASE: 'http://127.0.0.1:8181',
      BINANCE_WS_BASE: 'ws://127.0.0.1:8181/ws',
      BINANCE_WS_API: 'ws://127.0.0.1:8181/ws-api/v3',
    };
    expect(staleLimits(config(external), { largestGapMs: 29_999 }).riskMs).toBe(45_000);
  });
});
