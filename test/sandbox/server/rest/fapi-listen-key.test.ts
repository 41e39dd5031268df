import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from './harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});

afterEach(async () => {
  await h.close();
});

/** A USER_STREAM request as binance-api-node sends it: the API key header, params in the query, unsigned. */
async function userStream(method: string, query = '', key: string | null = API_KEY) {
  const res = await fetch(`${h.server.httpBase}/fapi/v1/listenKey${query === '' ? '' : `?${query}`}`, {
    method,
    headers: key === null ? {} : { 'X-MBX-APIKEY': key },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, weight: res.headers.get('x-mbx-used-weight-1m') };
}

const MINUTE = 60_000;

describe('POST/PUT/DELETE /fapi/v1/listenKey', () => {
  it('needs the API key only: no key is -2014, a wrong one -2015, no signature asked', async () => {
    expect(await userStream('POST', '', null)).toMatchObject({ status: 401, body: { code: -2014 } });
    expect(await userStream('POST', '', 'other')).toMatchObject({ status: 401, body: { code: -2015 } });
    const ok = await userStream('POST');
    expect(ok.status).toBe(200);
    expect(ok.body.listenKey).toMatch(/^[A-Za-z0-9]{64}$/);
  });

  it('weighs 1 on the /fapi limiter', async () => {
    const first = await userStream('POST');
    const second = await userStream('PUT', `listenKey=${String(first.body.listenKey)}`);
    expect(Number(second.weight) - Number(first.weight)).toBe(1);
  });

  it('returns the same key while it is active, and a new one once it has expired', async () => {
    const a = (await userStream('POST')).body.listenKey;
    h.clock.now += 59 * MINUTE;
    expect((await userStream('POST')).body.listenKey).toBe(a);
    // The second POST extended it: 60 minutes from then.
    h.clock.now += 59 * MINUTE;
    expect((await userStream('PUT', `listenKey=${String(a)}`)).body).toEqual({ listenKey: a });
    h.clock.now += 60 * MINUTE;
    const b = (await userStream('POST')).body.listenKey;
    expect(b).not.toBe(a);
  });

  it('PUT extends by 60 minutes with the unsigned ?listenKey= binance-api-node sends; an unknown key is -1125', async () => {
    const key = String((await userStream('POST')).body.listenKey);
    h.clock.now += 50 * MINUTE;
    expect(await userStream('PUT', `listenKey=${key}`)).toMatchObject({ status: 200, body: { listenKey: key } });
    h.clock.now += 59 * MINUTE;
    expect(await userStream('PUT', `listenKey=${key}`)).toMatchObject({ status: 200, body: { listenKey: key } });
    expect(await userStream('PUT', 'listenKey=nosuchkey')).toMatchObject({
      status: 400,
      body: { code: -1125, msg: 'This listenKey does not exist.' },
    });
    h.clock.now += 60 * MINUTE;
    expect(await userStream('PUT', `listenKey=${key}`)).toMatchObject({ status: 400, body: { code: -1125 } });
  });

  it('PUT without a key extends the active one (Binance lists no parameter)', async () => {
    expect(await userStream('PUT')).toMatchObject({ status: 400, body: { code: -1125 } });
    const key = (await userStream('POST')).body.listenKey;
    expect(await userStream('PUT')).toMatchObject({ status: 200, body: { listenKey: key } });
  });

  it('DELETE answers {} and ends the key; deleting it again still answers {}', async () => {
    const key = String((await userStream('POST')).body.listenKey);
    expect(await userStream('DELETE', `listenKey=${key}`)).toMatchObject({ status: 200, body: {} });
    expect(await userStream('PUT', `listenKey=${key}`)).toMatchObject({ status: 400, body: { code: -1125 } });
    expect(await userStream('DELETE', `listenKey=${key}`)).toMatchObject({ status: 200, body: {} });
  });

  it('takes the same request faults as every endpoint', async () => {
    h.server.faults.arm({ kind: 'rateLimit', match: 'POST /fapi/v1/listenKey' });
    expect((await userStream('POST')).status).toBe(429);
    expect((await userStream('POST')).status).toBe(200);
  });
});
