import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SPOT_CATALOG } from '../../../src/domain/index.js';
import { ManualClock } from '../../../src/engine/index.js';
import { type BinanceClient, BinanceGateway, mapApiRestrictions } from '../../../src/exchange/binance/index.js';
import { SandboxHub, type SandboxServer, startSandboxServer } from '../../../src/sandbox/index.js';
import { type SandboxApiRestrictions, createRestApi } from '../../../src/sandbox/server/rest/index.js';

const ACCOUNT = { apiKey: 'key-check', apiSecret: 'key-check-secret' };
const T0 = 1_760_000_000_000;

function hubAt(clock: ManualClock): SandboxHub {
  return new SandboxHub({ instruments: SPOT_CATALOG.map((e) => e.instrument), account: ACCOUNT, now: () => clock.now() });
}

/** Only the REST API, so the key's restrictions can be set (the sandbox server uses the defaults). */
async function restWith(
  clock: ManualClock,
  restrictions: Partial<SandboxApiRestrictions>,
): Promise<{ httpBase: string; close(): Promise<void> }> {
  const api = createRestApi({ hub: hubAt(clock), apiRestrictions: restrictions });
  const server: Server = createServer(api.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    httpBase: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve(api.close()))),
  };
}

const gatewayAt = (httpBase: string, clock: ManualClock, apiSecret = ACCOUNT.apiSecret) =>
  new BinanceGateway({
    apiKey: ACCOUNT.apiKey,
    apiSecret,
    httpBase,
    wsBase: 'ws://127.0.0.1:1/ws',
    wsApi: 'ws://127.0.0.1:1/ws-api/v3',
    clock,
  });

describe('BinanceGateway.apiRestrictions against the sandbox', () => {
  let server: SandboxServer | undefined;
  let rest: { close(): Promise<void> } | undefined;
  afterEach(async () => {
    await server?.close();
    await rest?.close();
    server = undefined;
    rest = undefined;
  });

  it('reads the default sandbox key: reading and spot trading, no withdrawals, no IP restriction', async () => {
    const clock = new ManualClock(T0);
    server = await startSandboxServer({ hub: hubAt(clock), port: 0 });
    expect(await gatewayAt(server.httpBase, clock).apiRestrictions()).toEqual({
      ok: true,
      value: {
        ipRestrict: false,
        createTime: T0,
        enableReading: true,
        enableSpotAndMarginTrading: true,
        enableWithdrawals: false,
        enableInternalTransfer: false,
        enableMargin: false,
        enableFutures: false,
        permitsUniversalTransfer: false,
        enableVanillaOptions: false,
        enableFixApiTrade: false,
        enableFixReadOnly: false,
        enablePortfolioMarginTrading: false,
      },
    });
  });

  it('reads a key that can withdraw, signed on server time after a skewed local clock', async () => {
    const hubClock = new ManualClock(T0);
    const r = await restWith(hubClock, { enableWithdrawals: true, ipRestrict: true });
    rest = r;
    const gateway = gatewayAt(r.httpBase, new ManualClock(T0 - 600_000));
    expect(await gateway.apiRestrictions()).toMatchObject({ ok: true, value: { enableWithdrawals: true, ipRestrict: true } });
    expect(gateway.serverNow()).toBe(T0);
  });

  it("classifies a refused signature as rejected with Binance's code", async () => {
    const clock = new ManualClock(T0);
    server = await startSandboxServer({ hub: hubAt(clock), port: 0 });
    expect(await gatewayAt(server.httpBase, clock, 'wrong-secret').apiRestrictions()).toMatchObject({
      ok: false,
      error: { kind: 'rejected', code: 'BINANCE_-1022' },
    });
  });

  it('answers UNSUPPORTED for a client without the call, sending nothing', async () => {
    const client = { ws: { user: async () => () => {} } } as unknown as BinanceClient;
    const gateway = new BinanceGateway({
      ...ACCOUNT,
      httpBase: 'http://127.0.0.1:1',
      wsBase: 'ws://x/ws',
      wsApi: 'ws://x',
      clock: new ManualClock(T0),
      createClient: () => client,
    });
    expect(await gateway.apiRestrictions()).toMatchObject({ ok: false, error: { kind: 'rejected', code: 'UNSUPPORTED' } });
  });
});

describe('mapApiRestrictions', () => {
  const BASE = { ipRestrict: true, enableReading: true, enableSpotAndMarginTrading: true, enableWithdrawals: false };

  it('keeps optional permissions only when reported, and a BigNumber-like createTime by its digits', () => {
    const bigLike = { toString: () => '1698645219000', toFixed: () => '1698645219000' };
    expect(mapApiRestrictions({ ...BASE, enableMargin: true, createTime: bigLike })).toEqual({
      ok: true,
      value: { ...BASE, enableMargin: true, createTime: 1698645219000 },
    });
    expect(mapApiRestrictions(BASE)).toEqual({ ok: true, value: BASE });
  });

  it('refuses a permission that is not a boolean rather than guessing', () => {
    expect(mapApiRestrictions({ ...BASE, enableWithdrawals: 'false' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE', message: expect.stringContaining('enableWithdrawals') },
    });
    expect(mapApiRestrictions({ ...BASE, ipRestrict: undefined })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('ipRestrict') },
    });
    expect(mapApiRestrictions({ ...BASE, enableFutures: 1 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('enableFutures') },
    });
    expect(mapApiRestrictions({ ...BASE, createTime: -5 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('createTime') },
    });
    expect(mapApiRestrictions([])).toMatchObject({ ok: false });
    expect(mapApiRestrictions(null)).toMatchObject({ ok: false });
  });
});
