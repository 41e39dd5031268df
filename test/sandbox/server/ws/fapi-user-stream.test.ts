import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { API_KEY, NOW } from './harness.js';
import { type FapiSandbox, drained, newOrderEvent, position, startFapiSandbox } from './fapi-harness.js';

let sb: FapiSandbox;
const HOUR = 3_600_000;

beforeEach(async () => {
  sb = await startFapiSandbox();
});

afterEach(async () => {
  await sb.close();
});

async function keepAlive(key: string): Promise<number> {
  const res = await fetch(`${sb.server.httpBase}/fapi/v1/listenKey?listenKey=${key}`, {
    method: 'PUT',
    headers: { 'X-MBX-APIKEY': API_KEY },
  });
  return res.status;
}

describe('USD-M user data stream', () => {
  it('serves every URL form: /private/ws/<key>, ?listenKey=, /private/stream (wrapped), legacy /ws/<key> and /fstream', async () => {
    const key = await sb.listenKey();
    const raw = [
      await sb.client(`/private/ws/${key}`),
      await sb.client(`/private/ws?listenKey=${key}`),
      await sb.client(`/ws/${key}`),
      await sb.client(`/fstream/ws/${key}`),
      await sb.client(`/fstream/private/ws/${key}`),
    ];
    const wrapped = [await sb.client(`/private/stream?streams=${key}`), await sb.client(`/fstream/stream?streams=${key}`)];
    sb.emit(newOrderEvent());
    for (const c of raw) expect(await c.next()).toMatchObject({ e: 'ORDER_TRADE_UPDATE', E: NOW, T: NOW, o: { i: 8389765512, x: 'NEW' } });
    for (const c of wrapped)
      expect(await c.next()).toMatchObject({ stream: key, data: { e: 'ORDER_TRADE_UPDATE', o: { c: 'tg_1_1_B0' } } });
  });

  it('frames in Binance types: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE (P always present), MARGIN_CALL, ACCOUNT_CONFIG_UPDATE', async () => {
    const c = await sb.client(`/private/ws/${await sb.listenKey()}`);
    sb.emit(newOrderEvent());
    expect(await c.next()).toEqual({
      e: 'ORDER_TRADE_UPDATE',
      E: NOW,
      T: NOW,
      o: {
        s: 'BTCUSDT',
        c: 'tg_1_1_B0',
        S: 'BUY',
        o: 'LIMIT',
        f: 'GTC',
        q: '0.002',
        p: '50000',
        ap: '0',
        sp: '0',
        x: 'NEW',
        X: 'NEW',
        i: 8389765512,
        l: '0',
        z: '0',
        L: '0',
        N: 'USDT',
        n: '0',
        T: NOW,
        t: 0,
        b: '100',
        a: '0',
        m: false,
        R: false,
        wt: 'CONTRACT_PRICE',
        ot: 'LIMIT',
        ps: 'BOTH',
        cp: false,
        rp: '0',
        pP: false,
        si: 0,
        ss: 0,
        V: 'EXPIRE_MAKER',
        pm: 'NONE',
        gtd: 0,
        er: '0',
      },
    });
    sb.emit({
      type: 'account',
      time: NOW,
      reason: 'FUNDING_FEE',
      balances: [{ asset: 'USDT', walletBalance: fx('9999.95'), crossWalletBalance: fx('9999.95'), balanceChange: 0n }],
      positions: [],
    });
    expect(await c.next()).toEqual({
      e: 'ACCOUNT_UPDATE',
      E: NOW,
      T: NOW,
      a: { m: 'FUNDING_FEE', B: [{ a: 'USDT', wb: '9999.95', cw: '9999.95', bc: '0' }], P: [] },
    });
    sb.emit({
      type: 'account',
      time: NOW,
      reason: 'ORDER',
      balances: [],
      positions: [position({ marginType: 'ISOLATED', isolatedWallet: fx('5') })],
    });
    expect((await c.next()).a.P).toEqual([
      { s: 'BTCUSDT', pa: '0.002', ep: '50000', bep: '50020', cr: '1.5', up: '0.2', mt: 'isolated', iw: '5', ps: 'BOTH', ma: 'USDT' },
    ]);
    sb.emit({ type: 'marginCall', time: NOW, crossWalletBalance: fx('3'), positions: [position()] });
    expect(await c.next()).toEqual({
      e: 'MARGIN_CALL',
      E: NOW,
      cw: '3',
      p: [{ s: 'BTCUSDT', ps: 'BOTH', pa: '0.002', mt: 'cross', iw: '0', mp: '50100', up: '0.2', mm: '0.4008' }],
    });
    sb.emit({ type: 'leverage', time: NOW, symbol: 'BTCUSDT', leverage: 10 });
    expect(await c.next()).toEqual({ e: 'ACCOUNT_CONFIG_UPDATE', E: NOW, T: NOW, ac: { s: 'BTCUSDT', l: 10 } });
  });

  it('closes a connection on an unknown key (1008), and leaves spot /ws paths to spot while a key is live', async () => {
    await sb.listenKey();
    const unknown = await sb.client('/private/ws/nosuchkey');
    expect(await unknown.closed).toBe(1008);
    const bare = await sb.client('/private/ws');
    expect(await bare.closed).toBe(1008);
    const spot = await sb.client('/ws/btcusdt@aggTrade');
    sb.trade('50000');
    // Spot's payload (8 places, `M`), not USD-M's.
    expect(await spot.next()).toMatchObject({ e: 'aggTrade', p: '50000.00000000', M: true });
    const notAKey = await sb.client('/ws/nosuchkey');
    expect(await notAKey.closed).toBe(1008);
  });

  it('on expiry sends one listenKeyExpired with an integer E, then nothing more; PUT then answers -1125', async () => {
    const key = await sb.listenKey();
    const c = await sb.client(`/private/ws/${key}`);
    sb.clock.now += HOUR - 1;
    sb.emit(newOrderEvent());
    expect((await c.next()).e).toBe('ORDER_TRADE_UPDATE');
    sb.clock.now += 1;
    // A trade is enough to notice the expiry on a manual clock (the real-time pulse does it otherwise).
    sb.trade('50000');
    expect(await c.next()).toEqual({ e: 'listenKeyExpired', E: NOW + HOUR, listenKey: key });
    sb.emit(newOrderEvent());
    await drained(c);
    expect(c.pending()).toBe(0);
    expect(c.socket.readyState).toBe(c.socket.OPEN);
    expect(await keepAlive(key)).toBe(400);
    const late = await sb.client(`/private/ws/${key}`);
    expect(await late.closed).toBe(1008);
  });

  it('a keepalive PUT keeps the stream going past the first hour; the event itself notices an expiry', async () => {
    const key = await sb.listenKey();
    const c = await sb.client(`/private/ws/${key}`);
    sb.clock.now += HOUR - 10;
    expect(await keepAlive(key)).toBe(200);
    sb.clock.now += HOUR - 10;
    sb.emit(newOrderEvent());
    expect((await c.next()).e).toBe('ORDER_TRADE_UPDATE');
    sb.clock.now += 10;
    sb.emit(newOrderEvent());
    expect((await c.next()).e).toBe('listenKeyExpired');
    await drained(c);
    expect(c.pending()).toBe(0);
  });

  it('DELETE closes the streams on the key (1000)', async () => {
    const key = await sb.listenKey();
    const c = await sb.client(`/private/ws/${key}`);
    await fetch(`${sb.server.httpBase}/fapi/v1/listenKey?listenKey=${key}`, { method: 'DELETE', headers: { 'X-MBX-APIKEY': API_KEY } });
    expect(await c.closed).toBe(1000);
  });

  it('takes the user-stream faults: a pause holds events in order, a drop cuts the connection', async () => {
    const key = await sb.listenKey();
    const c = await sb.client(`/private/ws/${key}`);
    expect(sb.server.faults.arm({ kind: 'pauseUserStream', ms: 60_000 }).ok).toBe(true);
    sb.emit(newOrderEvent({ orderId: 1 }));
    sb.emit(newOrderEvent({ orderId: 2 }));
    await drained(c);
    expect(c.pending()).toBe(0);
    sb.server.faults.clear();
    expect((await c.next()).o.i).toBe(1);
    expect((await c.next()).o.i).toBe(2);
    sb.server.faults.arm({ kind: 'dropSockets', target: 'user' });
    expect(await c.closed).toBe(1006);
  });
});
