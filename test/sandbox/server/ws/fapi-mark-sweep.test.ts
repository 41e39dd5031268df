import { describe, expect, it } from 'vitest';
import { SPOT_CATALOG, fx } from '../../../../src/domain/index.js';
import type { FuturesMarket } from '../../../../src/sandbox/futures/index.js';
import { FapiMarketFeed } from '../../../../src/sandbox/server/ws/fapi-market-feed.js';
import type { MarketStreams } from '../../../../src/sandbox/server/ws/market-streams.js';

/**
 * The USD-M feed on a sandbox of many symbols: a trade looks at every symbol's mark streams only when a push may be
 * due, so a trade costs the same with 1,000 symbols as with 2, and the marks are still pushed once per period.
 */
describe('FapiMarketFeed mark pushes on many symbols', () => {
  const template = SPOT_CATALOG[0]!.instrument;
  const instruments = Array.from({ length: 1_000 }, (_, i) => ({ ...template, symbol: `X${i}USDT` }));

  function rig(listened: readonly string[]) {
    let t = 0;
    let asked = 0;
    const pushed: string[] = [];
    const listening = new Set(listened);
    const streams = {
      version: 1,
      listening: (s: string) => (asked++, listening.has(s)),
      publish: (s: string) => void pushed.push(s),
    } as unknown as MarketStreams;
    const market = {
      markPrice: () => fx('100'),
      comingFundingRate: () => fx('0.0001'),
      nextFundingTime: () => 0,
    } as unknown as FuturesMarket;
    const feed = new FapiMarketFeed(instruments, market, streams, () => t);
    const trade = (symbol: string) =>
      feed.onTrade({ symbol, price: fx('100'), quantity: fx('1'), time: t, tradeId: 1, isBuyerMaker: false });
    return { feed, trade, pushed, asked: () => asked, at: (ms: number) => (t = ms) };
  }

  it('pushes each listened mark once per period, and between pushes a trade asks about its own streams only', () => {
    const r = rig(['x7usdt@markPrice@1s', 'x9usdt@markPrice']);
    r.trade('X1USDT');
    expect(r.pushed).toEqual(['x7usdt@markPrice@1s', 'x9usdt@markPrice']);
    const before = r.asked();
    for (let i = 0; i < 100; i++) r.trade(`X${i}USDT`);
    // Four streams of its own a trade (trade, aggTrade, bookTicker, kline_1m); the 2,000 mark streams are not looked at.
    expect(r.asked() - before).toBe(400);
    expect(r.pushed).toHaveLength(2);
    r.at(1_000);
    r.trade('X1USDT');
    expect(r.pushed.slice(2)).toEqual(['x7usdt@markPrice@1s']);
    r.at(3_000);
    r.trade('X1USDT');
    expect(r.pushed.slice(3)).toEqual(['x7usdt@markPrice@1s', 'x9usdt@markPrice']);
  });
});
