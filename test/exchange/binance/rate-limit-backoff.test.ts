import { afterEach, describe, expect, it } from 'vitest';
import { catalogInstrument, fx, type Instrument } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceGateway } from '../../../src/exchange/binance/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';

const ACCOUNT = { apiKey: 'limit-key', apiSecret: 'limit-secret' };
let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('BinanceGateway under Binance rate limits', () => {
  it('stops sending after a 429 until the wait is over, so it never earns a 418 ban', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const hub = new SandboxHub({
      instruments: [catalogInstrument('BTCUSDT') as Instrument],
      balances: { USDT: fx('100') },
      account: ACCOUNT,
      now: () => clock.now(),
    });
    // 20 weight a minute, and a ban after 2 requests that ignore a 429: a careless client is banned at once.
    server = await startSandboxServer({ hub, limits: { weightPerMinute: 20, violationsBeforeBan: 2 } });
    const gateway = new BinanceGateway({ ...ACCOUNT, httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi, clock });

    const answers = [];
    for (let i = 0; i < 15; i++) answers.push(await gateway.getOrder('BTCUSDT', `tg_x_${i}`)); // weight 4 each
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.slice(0, 5)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(codes[5]).toBe('BINANCE_-1003'); // the one 429
    expect(codes.slice(6).every((c) => c === 'RATE_LIMIT_BACKOFF')).toBe(true); // held locally, never sent
    expect(answers.some((a) => !a.ok && /banned/i.test(a.error.message))).toBe(false);

    // The server saw no request past the 429: a plain client is still only rate limited, not banned.
    const probe = await fetch(`${server.httpBase}/api/v3/time`);
    expect(probe.status).toBe(429);

    clock.advance(61_000); // the minute is over
    const after = await gateway.getOrder('BTCUSDT', 'tg_x_after');
    expect(after.ok).toBe(true);
  });
});
