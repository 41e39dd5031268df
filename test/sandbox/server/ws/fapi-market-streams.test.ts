import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOW } from './harness.js';
import { type FapiSandbox, drained, startFapiSandbox } from './fapi-harness.js';

let sb: FapiSandbox;

beforeEach(async () => {
  sb = await startFapiSandbox();
});

afterEach(async () => {
  await sb.close();
});

/** Coming funding: 8 h settlements from the epoch, at the default constant rate. */
const NEXT_FUNDING = Math.ceil((NOW + 1) / (8 * 3_600_000)) * 8 * 3_600_000;

describe('USD-M market streams', () => {
  it('/market/ws/<s>@aggTrade: each trade its own aggregate, tick and step decimals, no spot `M`', async () => {
    const c = await sb.client('/market/ws/btcusdt@aggTrade');
    sb.clock.now += 7;
    const t = sb.trade('50000.1', '0.25');
    expect(await c.next()).toEqual({
      e: 'aggTrade',
      E: NOW + 7,
      s: 'BTCUSDT',
      a: t.tradeId,
      p: '50000.10',
      q: '0.25000',
      f: t.tradeId,
      l: t.tradeId,
      T: NOW + 7,
      m: false,
    });
  });

  it('/public/ws/<s>@bookTicker: the one-tick spread around the last trade, zero sizes, E and T', async () => {
    const c = await sb.client('/public/ws/btcusdt@bookTicker');
    sb.trade('50000.1');
    sb.trade('50000.2');
    expect(await c.next()).toEqual({
      e: 'bookTicker',
      u: 1,
      E: NOW,
      T: NOW,
      s: 'BTCUSDT',
      b: '50000.10',
      B: '0.00000',
      a: '50000.11',
      A: '0.00000',
    });
    expect((await c.next()).u).toBe(2);
  });

  it('<s>@markPrice@1s is pushed once per elapsed second of hub time, <s>@markPrice once per 3 s', async () => {
    const fast = await sb.client('/market/ws/btcusdt@markPrice@1s');
    const slow = await sb.client('/market/ws/btcusdt@markPrice');
    sb.trade('50000');
    const expected = {
      e: 'markPriceUpdate',
      E: NOW,
      s: 'BTCUSDT',
      p: '50000.00000000',
      i: '50000.00000000',
      P: '50000.00000000',
      r: '0.00010000',
      T: NEXT_FUNDING,
    };
    expect(await fast.next()).toEqual(expected);
    expect(await slow.next()).toEqual(expected);
    sb.clock.now += 999;
    sb.trade('50001');
    await drained(fast);
    expect(fast.pending()).toBe(0);
    sb.clock.now += 1;
    sb.trade('50002');
    expect(await fast.next()).toMatchObject({ E: NOW + 1000, p: '50002.00000000' });
    sb.clock.now += 2000;
    sb.trade('50003');
    expect(await fast.next()).toMatchObject({ E: NOW + 3000, p: '50003.00000000' });
    expect(await slow.next()).toMatchObject({ E: NOW + 3000, p: '50003.00000000' });
    await drained(slow);
    expect(slow.pending()).toBe(0);
  });

  it('<s>@kline_1m on /market: tick and step decimals, closed when the next minute opens', async () => {
    const c = await sb.client('/market/ws/btcusdt@kline_1m');
    sb.trade('50000', '0.1');
    expect((await c.next()).k).toMatchObject({ i: '1m', o: '50000.00', c: '50000.00', v: '0.10000', x: false });
    sb.clock.now += 60_000;
    sb.trade('50010', '0.2');
    expect((await c.next()).k).toMatchObject({ x: true, c: '50000.00' });
    expect((await c.next()).k).toMatchObject({ x: false, o: '50010.00', v: '0.20000' });
  });

  it('<s>@trade (UNVERIFIED on Binance) on /public and /market', async () => {
    const pub = await sb.client('/public/ws/btcusdt@trade');
    const mkt = await sb.client('/market/ws/btcusdt@trade');
    const t = sb.trade('50000', '0.5');
    const frame = { e: 'trade', E: NOW, T: NOW, s: 'BTCUSDT', t: t.tradeId, p: '50000.00', q: '0.50000', X: 'MARKET', m: false };
    expect(await pub.next()).toEqual(frame);
    expect(await mkt.next()).toEqual(frame);
  });

  it('combined /public/stream and /market/stream wrap each payload in {stream, data}', async () => {
    const pub = await sb.client('/public/stream?streams=btcusdt@bookTicker/btcusdt@trade');
    const mkt = await sb.client('/market/stream?streams=btcusdt@aggTrade/btcusdt@markPrice@1s');
    sb.trade('50000');
    expect(await pub.next()).toMatchObject({ stream: 'btcusdt@trade', data: { e: 'trade' } });
    expect(await pub.next()).toMatchObject({ stream: 'btcusdt@bookTicker', data: { e: 'bookTicker' } });
    expect(await mkt.next()).toMatchObject({ stream: 'btcusdt@aggTrade', data: { e: 'aggTrade' } });
    expect(await mkt.next()).toMatchObject({ stream: 'btcusdt@markPrice@1s', data: { e: 'markPriceUpdate' } });
  });

  it('SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE on a bare /market/ws and on ccxt`s /market/ws/0', async () => {
    for (const path of ['/market/ws', '/market/ws/0']) {
      const c = await sb.client(path);
      expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: 1 })).toEqual({ result: [], id: 1 });
      expect(await c.ask({ method: 'SUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 2 })).toEqual({
        result: null,
        id: 2,
      });
      expect(await c.ask({ method: 'LIST_SUBSCRIPTIONS', id: 3 })).toEqual({ result: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 3 });
      sb.clock.now += 1000;
      sb.trade('50000');
      expect((await c.next()).e).toBe('aggTrade');
      expect((await c.next()).e).toBe('markPriceUpdate');
      expect(await c.ask({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade', 'btcusdt@markPrice@1s'], id: 4 })).toEqual({
        result: null,
        id: 4,
      });
      sb.trade('50000');
      await drained(c);
      expect(c.pending()).toBe(0);
    }
  });

  it('each root carries its own streams: aggTrade on /public is refused, bookTicker on /market too', async () => {
    const wrongUrl = await sb.client('/public/ws/btcusdt@aggTrade');
    expect(await wrongUrl.closed).toBe(1008);
    const pub = await sb.client('/public/ws');
    expect((await pub.ask({ method: 'SUBSCRIBE', params: ['btcusdt@markPrice'], id: 1 })).error).toMatchObject({ code: 2 });
    const mkt = await sb.client('/market/ws');
    expect((await mkt.ask({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 1 })).error).toMatchObject({ code: 2 });
  });

  it('the legacy /fstream/ws and /fstream/stream paths carry every USD-M stream; spot /ws keeps spot`s payloads', async () => {
    const legacy = await sb.client('/fstream/ws/btcusdt@markPrice@1s/btcusdt@bookTicker');
    const combined = await sb.client('/fstream/stream?streams=btcusdt@aggTrade');
    const spot = await sb.client('/ws/btcusdt@aggTrade');
    sb.trade('50000');
    expect((await legacy.next()).e).toBe('bookTicker');
    expect((await legacy.next()).e).toBe('markPriceUpdate');
    expect(await combined.next()).toMatchObject({ stream: 'btcusdt@aggTrade', data: { p: '50000.00' } });
    expect(await spot.next()).toMatchObject({ e: 'aggTrade', p: '50000.00000000', M: true });
  });

  it('nothing is pushed on a mark stream before the first trade (the mark is unknown until then)', async () => {
    const c = await sb.client('/market/ws/btcusdt@markPrice@1s');
    await drained(c);
    expect(c.pending()).toBe(0);
  });

  it('takes the market-stream faults: a drop cuts futures market connections', async () => {
    const c = await sb.client('/market/ws/btcusdt@aggTrade');
    sb.server.faults.arm({ kind: 'dropSockets', target: 'market' });
    expect(await c.closed).toBe(1006);
  });
});

describe('USD-M heartbeat', () => {
  it('the server pings futures connections (Binance: every 3 minutes; here a short interval)', async () => {
    await sb.close();
    sb = await startFapiSandbox({ pingIntervalMs: 20 });
    const c = await sb.client('/market/ws/btcusdt@aggTrade');
    await new Promise<void>((resolve) => c.socket.once('ping', () => resolve()));
  });
});
