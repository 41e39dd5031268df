import { afterEach, describe, expect, it } from 'vitest';
import { SPOT_CATALOG, fx } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { BinanceGateway } from '../../../src/exchange/binance/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';

const ACCOUNT = { apiKey: 'candles-key', apiSecret: 'candles-secret' };
const MINUTE = 60_000;
let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('BinanceGateway.candles on binance-api-node against the sandbox', () => {
  it('reads the latest klines exact, oldest first, the open one last; an unknown symbol is refused', async () => {
    const t0 = 1_760_000_000_000 - (1_760_000_000_000 % MINUTE);
    const clock = new ManualClock(t0);
    const hub = new SandboxHub({
      instruments: SPOT_CATALOG.map((e) => e.instrument),
      balances: { USDT: fx('10000') },
      account: ACCOUNT,
      now: () => clock.now(),
    });
    server = await startSandboxServer({ hub, port: 0 });
    const gateway = new BinanceGateway({ ...ACCOUNT, httpBase: server.httpBase, wsBase: server.wsBase, wsApi: server.wsApi, clock });
    const prices = ['50000.01', '50010.5', '49990', '50001.23'];
    prices.forEach((p, i) => {
      clock.set(t0 + i * 30_000);
      hub.trade({ symbol: 'BTCUSDT', price: fx(p), quantity: fx('0.125'), time: clock.now(), tradeId: i + 1, isBuyerMaker: false });
    });
    const got = await gateway.candles('BTCUSDT', '1m', { limit: 5 });
    expect(got).toEqual({
      ok: true,
      value: [
        {
          openTime: t0,
          closeTime: t0 + MINUTE - 1,
          open: fx('50000.01'),
          high: fx('50010.5'),
          low: fx('50000.01'),
          close: fx('50010.5'),
          volume: fx('0.25'),
        },
        {
          openTime: t0 + MINUTE,
          closeTime: t0 + 2 * MINUTE - 1,
          open: fx('49990'),
          high: fx('50001.23'),
          low: fx('49990'),
          close: fx('50001.23'),
          volume: fx('0.25'),
        },
      ],
    });
    const unknown = await gateway.candles('NOPEUSDT', '1m', { limit: 5 });
    expect(unknown.ok ? 'served' : unknown.error.kind).toBe('rejected');
  });
});
