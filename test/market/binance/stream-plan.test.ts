import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, planFuturesConnections, planTradeConnections } from '../../../src/market/index.js';

describe('planTradeConnections', () => {
  it('puts lower-case trade streams of many symbols on one combined URL beside /ws', () => {
    expect(planTradeConnections('wss://stream.binance.com:9443/ws', ['BTCUSDT', 'ethusdt', 'BTCUSDT'])).toEqual([
      { url: 'wss://stream.binance.com:9443/stream?streams=btcusdt@trade/ethusdt@trade', symbols: ['BTCUSDT', 'ETHUSDT'], market: 'spot' },
    ]);
  });

  it('puts USD-M aggTrade and 1 s mark streams of perpetuals on the futures market root, two streams per symbol', () => {
    expect(planFuturesConnections('wss://fstream.binance.com/market/ws', ['BTCUSDT.P', 'ethusdt.p'], 2)).toEqual([
      {
        url: 'wss://fstream.binance.com/market/stream?streams=btcusdt@aggTrade/btcusdt@markPrice@1s',
        symbols: ['BTCUSDT.P'],
        market: 'usdm',
      },
      {
        url: 'wss://fstream.binance.com/market/stream?streams=ethusdt@aggTrade/ethusdt@markPrice@1s',
        symbols: ['ETHUSDT.P'],
        market: 'usdm',
      },
    ]);
  });

  it('shards at 1024 streams per connection', () => {
    const symbols = Array.from({ length: 2049 }, (_, i) => `S${i}USDT`);
    const plans = planTradeConnections('ws://h/ws/', symbols);
    expect(plans.map((p) => p.symbols.length)).toEqual([1024, 1024, 1]);
    expect(plans.flatMap((p) => p.symbols)).toEqual(symbols);
    expect(plans[2]?.url).toBe('ws://h/stream?streams=s2048usdt@trade');
  });

  it('splits 1,000 symbols into five connections of 200 streams, each URL a few KB (MARKET_STREAMS_PER_CONNECTION)', () => {
    const symbols = Array.from({ length: 1_000 }, (_, i) => `X${String(i).padStart(4, '0')}USDT`);
    const plans = planTradeConnections('wss://stream.binance.com:9443/ws', symbols, 200);
    expect(plans.map((p) => p.symbols.length)).toEqual([200, 200, 200, 200, 200]);
    expect(plans.flatMap((p) => p.symbols)).toEqual(symbols);
    for (const p of plans) {
      const streams = new URL(p.url).searchParams.get('streams')!.split('/');
      expect(streams).toEqual(p.symbols.map((s) => `${s.toLowerCase()}@trade`));
      // Far under the 16 KB a Node server takes in its request headers (the one URL of 1,000 streams is ~15 KB).
      expect(p.url.length).toBeLessThan(4_000);
    }
    // Five connections, opened once, are far inside Binance's 300 connection attempts per 5 minutes per IP.
    expect(planTradeConnections('ws://h/ws', symbols).length).toBe(1);
    expect(planTradeConnections('ws://h/ws', symbols)[0]!.url.length).toBeGreaterThan(14_000);
  });

  it('refuses a base without /ws and a shard size Binance would refuse', () => {
    expect(() => planTradeConnections('ws://h/stream', ['BTCUSDT'])).toThrow(RangeError);
    expect(() => planTradeConnections('ws://h/ws', ['BTCUSDT'], 1025)).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  it('doubles from minMs to maxMs with half of it jittered', () => {
    const b = { minMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, b, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([0, 1, 2, 3, 4].map((a) => backoffDelay(a, b, () => 0.999999))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('stays within [base/2, base] for any attempt and draw', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, draw) => {
        const d = backoffDelay(attempt, { minMs: 250, maxMs: 30_000 }, () => draw);
        return d >= 125 && d <= 30_000;
      }),
    );
  });
});
