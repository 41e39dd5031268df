import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Instrument, catalogInstrument } from '../../../../src/domain/index.js';
import { SandboxHub, signPayload } from '../../../../src/sandbox/index.js';
import { type SandboxApiRestrictions, createRestApi } from '../../../../src/sandbox/server/rest/index.js';
import { API_KEY, API_SECRET, type Harness, START, signed, startHarness } from './harness.js';

const PATH = '/sapi/v1/account/apiRestrictions';

/** The REST API alone on a free port, for restrictions the sandbox server does not pass through. */
async function restOnly(restrictions: Partial<SandboxApiRestrictions>): Promise<{ base: string; close(): Promise<void> }> {
  const hub = new SandboxHub({
    instruments: [catalogInstrument('BTCUSDT')] as Instrument[],
    account: { apiKey: API_KEY, apiSecret: API_SECRET },
    now: () => START,
  });
  const api = createRestApi({ hub, apiRestrictions: restrictions });
  const server: Server = createServer(api.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve(api.close()))),
  };
}

describe('GET /sapi/v1/account/apiRestrictions', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('reports a reading and spot-trading key without withdrawals by default, weight 1', async () => {
    h = await startHarness();
    const r = await signed(h, 'GET', PATH, `timestamp=${START}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      ipRestrict: false,
      createTime: START,
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
    });
    expect(r.headers.get('X-MBX-USED-WEIGHT-1M')).toBe('1');
  });

  it('is SIGNED: refuses a missing key and a wrong signature', async () => {
    h = await startHarness();
    expect((await signed(h, 'GET', PATH, `timestamp=${START}`, { key: null })).body.code).toBe(-2014);
    expect((await signed(h, 'GET', PATH, `timestamp=${START}`, { secret: 'other' })).body.code).toBe(-1022);
  });

  it('reports the restrictions it was configured with', async () => {
    const s = await restOnly({ enableWithdrawals: true, ipRestrict: true });
    try {
      const query = `timestamp=${START}`;
      const res = await fetch(`${s.base}${PATH}?${query}&signature=${signPayload(API_SECRET, query)}`, {
        headers: { 'X-MBX-APIKEY': API_KEY },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        enableWithdrawals: true,
        ipRestrict: true,
        enableSpotAndMarginTrading: true,
        enableReading: true,
      });
    } finally {
      await s.close();
    }
  });
});
