import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Inbox, NOW, type Sandbox, connect, startSandbox, tick } from './harness.js';

let sandbox: Sandbox;
const open: Inbox[] = [];

async function client(path: string): Promise<Inbox> {
  const inbox = await connect(`ws://127.0.0.1:${sandbox.port}${path}`);
  open.push(inbox);
  return inbox;
}

beforeEach(async () => {
  sandbox = await startSandbox();
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await sandbox.close();
});

describe('market streams', () => {
  it('sends a raw trade with exactly the fields Binance sends (no b/a)', async () => {
    const c = await client('/ws/btcusdt@trade');
    const t = tick('50000.01', '0.25', NOW - 5, true);
    sandbox.hub.trade(t);
    expect(await c.next()).toEqual({
      e: 'trade',
      E: NOW,
      s: 'BTCUSDT',
      t: t.tradeId,
      p: '50000.01000000',
      q: '0.25000000',
      T: NOW - 5,
      m: true,
      M: true,
    });
  });

  it('wraps every stream of a combined connection in {stream, data}', async () => {
    const c = await client('/stream?streams=btcusdt@trade/btcusdt@aggTrade');
    const t = tick('50000');
    sandbox.hub.trade(t);
    const first = await c.next();
    const second = await c.next();
    expect(first.stream).toBe('btcusdt@trade');
    expect(first.data.e).toBe('trade');
    expect(second).toEqual({
      stream: 'btcusdt@aggTrade',
      data: {
        e: 'aggTrade',
        E: NOW,
        s: 'BTCUSDT',
        a: t.tradeId,
        p: '50000.00000000',
        q: '0.50000000',
        f: t.tradeId,
        l: t.tradeId,
        T: NOW,
        m: false,
        M: true,
      },
    });
  });

  it('derives bookTicker one tick around the last price, without e/E', async () => {
    const c = await client('/ws/btcusdt@bookTicker');
    sandbox.hub.trade(tick('50000', '0.3'));
    sandbox.hub.trade(tick('50001', '0.1'));
    expect(await c.next()).toEqual({ u: 1, s: 'BTCUSDT', b: '49999.99000000', B: '0.30000000', a: '50000.01000000', A: '0.30000000' });
    expect((await c.next()).u).toBe(2);
  });

  it('builds 1m klines from trades and closes a minute when the next one starts', async () => {
    const c = await client('/ws/btcusdt@kline_1m');
    const minute = NOW - (NOW % 60_000);
    const a = tick('100', '1', minute + 1_000, false);
    const b = tick('110', '2', minute + 2_000, true);
    const next = tick('105', '1', minute + 60_000, false);
    sandbox.hub.trade(a);
    sandbox.hub.trade(b);
    sandbox.hub.trade(next);
    await c.next();
    const second = await c.next();
    expect(second.e).toBe('kline');
    expect(second.k).toEqual({
      t: minute,
      T: minute + 59_999,
      s: 'BTCUSDT',
      i: '1m',
      f: a.tradeId,
      L: b.tradeId,
      o: '100.00000000',
      c: '110.00000000',
      h: '110.00000000',
      l: '100.00000000',
      v: '3.00000000',
      n: 2,
      x: false,
      q: '320.00000000',
      V: '1.00000000',
      Q: '100.00000000',
      B: '0',
    });
    const closed = await c.next();
    expect(closed.k).toMatchObject({ t: minute, x: true, n: 2 });
    const opened = await c.next();
    expect(opened.k).toMatchObject({ t: minute + 60_000, x: false, n: 1, o: '105.00000000', f: next.tradeId });
  });

  it('answers SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE and routes accordingly', async () => {
    const c = await client('/ws');
    expect(await c.ask({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'btcusdt@aggTrade'], id: 1 })).toEqual({ result: null, id: 1 });
    expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: 2 })).toEqual({ result: ['btcusdt@trade', 'btcusdt@aggTrade'], id: 2 });
    expect(await c.ask({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 'x3' })).toEqual({ result: null, id: 'x3' });
    expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: null })).toEqual({ result: ['btcusdt@trade'], id: null });
    sandbox.hub.trade(tick('50000'));
    expect((await c.next()).e).toBe('trade');
  });

  it('switches a raw connection to the combined envelope with SET_PROPERTY', async () => {
    const c = await client('/ws/btcusdt@trade');
    expect(await c.ask({ method: 'SET_PROPERTY', params: ['combined', true], id: 1 })).toEqual({ result: null, id: 1 });
    expect(await c.ask({ method: 'GET_PROPERTY', params: ['combined'], id: 2 })).toEqual({ result: true, id: 2 });
    sandbox.hub.trade(tick('50000'));
    expect((await c.next()).stream).toBe('btcusdt@trade');
  });

  it('refuses unknown methods, unsupported streams and bad JSON with Binance error codes', async () => {
    const c = await client('/ws');
    expect((await c.ask({ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 1 })).error.code).toBe(2);
    expect((await c.ask({ method: 'FOO', id: 2 })).error.code).toBe(2);
    c.socket.send('{nope');
    expect((await c.next()).error.code).toBe(3);
  });

  it('disconnects a client that sends more than 5 messages in a second', async () => {
    const c = await client('/ws');
    for (let i = 1; i <= 5; i++) expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: i })).toEqual({ result: [], id: i });
    c.send({ method: 'LIST_SUBSCRIPTIONS', id: 6 });
    expect(await c.closed).toBe(1008);
  });

  it('counts messages per second of server time', async () => {
    const c = await client('/ws');
    for (let i = 1; i <= 5; i++) await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: i });
    sandbox.clock.now += 1_000;
    expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: 6 })).toEqual({ result: [], id: 6 });
  });

  it('refuses to go past the per-connection stream limit', async () => {
    await sandbox.close();
    sandbox = await startSandbox({ pingIntervalMs: 0, maxStreams: 2 });
    const c = await client('/ws/btcusdt@trade');
    const answer = await c.ask({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@bookTicker'], id: 1 });
    expect(answer.error.code).toBe(2);
    expect(await c.ask({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade'], id: 2 })).toEqual({ result: null, id: 2 });
    const tooMany = await connect(`ws://127.0.0.1:${sandbox.port}/stream?streams=a@trade/b@trade/c@trade`);
    open.push(tooMany);
    expect(await tooMany.closed).toBe(1008);
  });

  it('pings on the configured interval', async () => {
    await sandbox.close();
    sandbox = await startSandbox({ pingIntervalMs: 20 });
    const c = await client('/ws/btcusdt@trade');
    await new Promise<void>((resolve) => c.socket.once('ping', () => resolve()));
  });

  it('terminates every socket on close', async () => {
    const c = await client('/ws/btcusdt@trade');
    await sandbox.close();
    expect(await c.closed).toBe(1006);
    sandbox = await startSandbox();
  });
});
