import { afterEach, describe, expect, it } from 'vitest';
import { Sandbox, rig, trade } from './feed-harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sandbox(): Promise<Sandbox> {
  const box = await Sandbox.start();
  cleanups.push(() => box.close());
  return box;
}

function started(r: ReturnType<typeof rig>): ReturnType<typeof rig> {
  cleanups.push(() => r.feed.stop());
  void r.feed.start();
  return r;
}

describe('BinanceTradeFeed against the sandbox', () => {
  it('publishes each trade exactly as the tape had it', async () => {
    const box = await sandbox();
    const { feed, rec } = started(rig(box.wsBase, ['btcusdt']));
    expect(feed.isStale('BTCUSDT')).toBe(true);
    await rec.opened(1);
    const sent = [trade('BTCUSDT', '123456.78901234', '0.00000001', true), trade('BTCUSDT', '0.00000001', '98765.4321', false)];
    for (const t of sent) box.hub.trade(t);
    await rec.count('TradeTicked', 2);
    expect(rec.ticks()).toEqual(sent);
    expect(feed.isStale('BTCUSDT')).toBe(false);
    expect(feed.isStale('ETHUSDT')).toBe(true);
  });

  it('carries many symbols on one connection, and shards past the per-connection limit', async () => {
    const box = await sandbox();
    const symbols = Array.from({ length: 300 }, (_, i) => `S${i}USDT`);
    const one = started(rig(box.wsBase, symbols));
    const sharded = started(rig(box.wsBase, symbols, { maxStreamsPerConnection: 128 }));
    expect(one.feed.urls).toHaveLength(1);
    expect(sharded.feed.urls).toHaveLength(3);
    await one.rec.opened(1);
    await sharded.rec.opened(3);
    const sent = symbols.map((s, i) => trade(s, `${i + 1}.5`));
    for (const t of sent) box.hub.trade(t);
    await one.rec.count('TradeTicked', 300);
    await sharded.rec.count('TradeTicked', 300);
    expect(one.rec.ticks()).toEqual(sent);
    expect(
      sharded.rec
        .ticks()
        .map((t) => t.tradeId)
        .sort((a, b) => a - b),
    ).toEqual(sent.map((t) => t.tradeId));
  });

  it('signals stale when the server drops the socket, reconnects with backoff, resubscribes and signals resumed', async () => {
    const box = await Sandbox.start();
    const { feed, rec, timers } = started(rig(box.wsBase, ['BTCUSDT', 'ETHUSDT']));
    await rec.opened(1);
    box.hub.trade(trade('BTCUSDT', '100'));
    await rec.count('TradeTicked', 1);

    await box.close();
    await rec.count('MarketDataStale', 1);
    expect(rec.of('MarketDataStale')[0]).toMatchObject({ symbols: ['BTCUSDT', 'ETHUSDT'], time: 0 });
    expect(rec.of('MarketDataStale')[0]?.reason).toMatch(/connection closed/);
    expect(feed.isStale('ETHUSDT')).toBe(true);

    await box.restart();
    cleanups.push(() => box.close());
    timers.advance(100);
    await rec.opened(2);
    const after = trade('ETHUSDT', '2000.01');
    box.hub.trade(after);
    await rec.count('MarketDataResumed', 1);
    expect(rec.of('MarketDataResumed')).toEqual([{ type: 'MarketDataResumed', symbols: ['BTCUSDT', 'ETHUSDT'], gapMs: 100, time: 100 }]);
    expect(rec.ticks().at(-1)).toEqual(after);
    expect(rec.of('MarketDataStale')).toHaveLength(1);
    expect(feed.isStale('BTCUSDT')).toBe(false);
  });

  it('keeps retrying with growing delays while the server is down', async () => {
    const box = await Sandbox.start();
    const r = started(rig(box.wsBase, ['BTCUSDT'], { backoff: { minMs: 100, maxMs: 1_000 } }));
    await r.rec.opened(1);
    await box.close();
    await r.rec.closed(1);
    // Each refused attempt closes and schedules the next, longer one.
    for (let i = 2; i <= 4; i++) {
      r.timers.advance(1_000);
      await r.rec.closed(i);
    }
    expect(r.timers.delays.slice(-4)).toEqual(expect.arrayContaining([75, 150, 300]));
    expect(r.rec.of('MarketDataStale')).toHaveLength(1);
  });

  it('signals stale once when an open stream goes quiet, and resumed with the gap when trades flow again', async () => {
    const box = await sandbox();
    const { feed, rec, timers } = started(rig(box.wsBase, ['BTCUSDT']));
    await rec.opened(1);
    box.hub.trade(trade('BTCUSDT', '100'));
    await rec.count('TradeTicked', 1);
    timers.advance(999);
    expect(rec.of('MarketDataStale')).toHaveLength(0);
    timers.advance(1);
    expect(rec.of('MarketDataStale')).toEqual([
      { type: 'MarketDataStale', symbols: ['BTCUSDT'], reason: 'no trade for 1000 ms', cause: 'quiet', time: 1000 },
    ]);
    timers.advance(5_000);
    expect(rec.of('MarketDataStale')).toHaveLength(1);
    expect(feed.isStale('BTCUSDT')).toBe(true);
    box.hub.trade(trade('BTCUSDT', '101'));
    await rec.count('MarketDataResumed', 1);
    expect(rec.of('MarketDataResumed')[0]).toMatchObject({ gapMs: 6_000, time: 6_000 });
    expect(feed.isStale('BTCUSDT')).toBe(false);
  });

  it('rotates before the 24 h cut with no gap and no duplicate', async () => {
    const box = await sandbox();
    const { rec, timers } = started(rig(box.wsBase, ['BTCUSDT'], { rotateAfterMs: 60_000, staleAfterMs: 100_000 }));
    await rec.opened(1);
    const first = trade('BTCUSDT', '100');
    box.hub.trade(first);
    await rec.count('TradeTicked', 1);
    timers.advance(60_000);
    await rec.opened(2);
    // Both sockets may carry this one: the old until its close completes, the new from its open.
    const during = trade('BTCUSDT', '101');
    box.hub.trade(during);
    await rec.closed(1);
    const after = trade('BTCUSDT', '102');
    box.hub.trade(after);
    await rec.until(() => rec.ticks().some((t) => t.tradeId === after.tradeId));
    expect(rec.ticks()).toEqual([first, during, after]);
    expect(rec.of('MarketDataStale')).toHaveLength(0);
  });
});
