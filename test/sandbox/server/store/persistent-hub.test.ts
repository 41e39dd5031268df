import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../../src/domain/index.js';
import { type PersistentHub, type SandboxHub, accountKey, openPersistentHub } from '../../../../src/sandbox/index.js';
import { BTC, ETH, limit, tick } from '../../matching/fixtures.js';
import { REDIS_URL, closedPort, deleteKeys, uniquePrefix, withRedis } from '../../../kit/redis.js';

const prefixes: string[] = [];
const opened: PersistentHub[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.persistence?.close();
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

function prefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

let now = 1_000;
async function open(keyPrefix: string, extra: { reset?: boolean; url?: string; balances?: Record<string, bigint> } = {}) {
  const r = await openPersistentHub({
    hub: {
      instruments: [BTC, ETH],
      balances: extra.balances ?? { USDT: fx('10000'), BTC: fx('1') },
      account: { apiKey: 'k'.repeat(8), apiSecret: 's'.repeat(8) },
      now: () => now,
    },
    store: { url: extra.url ?? REDIS_URL, keyPrefix },
    reset: extra.reset,
  });
  if (r.ok) opened.push(r.value);
  return r;
}

async function openOk(keyPrefix: string, extra: Parameters<typeof open>[1] = {}): Promise<PersistentHub> {
  const r = await open(keyPrefix, extra);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function place(hub: SandboxHub, ...args: Parameters<typeof limit>): void {
  const r = hub.placeOrder(limit(...args));
  if (!r.ok) throw new Error(r.error.message);
}

/** A hub with a fill in its history, a resting order on each side, and a canceled one. */
function trade(hub: SandboxHub): void {
  place(hub, 'BUY', '50000', '0.01', 'buy-1');
  place(hub, 'BUY', '49000', '0.02', 'buy-2');
  place(hub, 'SELL', '52000', '0.5', 'sell-1');
  place(hub, 'BUY', '48000', '0.01', 'buy-3');
  const c = hub.cancelOrder('BTCUSDT', { clientOrderId: 'buy-3' });
  if (!c.ok) throw new Error(c.error.message);
  hub.trade(tick('49999', '1')); // fills buy-1
}

const openIds = (hub: SandboxHub) => {
  const r = hub.engine.openOrders();
  return r.ok ? r.value.map((o) => `${o.clientOrderId}:${o.status}`).sort() : [];
};

describe('the paper account in Redis', () => {
  it('a new hub from the store continues the account: balances, orders, history, and its orders still match', async () => {
    const p = prefix();
    const first = await openOk(p);
    expect(first.restored).toBe(false);
    trade(first.hub);
    await first.persistence!.close();

    const second = await openOk(p, { balances: { USDT: fx('1') } }); // starting balances do not apply to a stored account
    expect(second.restored).toBe(true);
    expect(second.warning).toBeUndefined();
    expect(second.hub.engine.balances()).toEqual(first.hub.engine.balances());
    expect(openIds(second.hub)).toEqual(['buy-2:NEW', 'sell-1:NEW']);
    expect(second.hub.snapshot()).toEqual(first.hub.snapshot());
    const done = second.hub.engine.getOrder('BTCUSDT', { clientOrderId: 'buy-3' });
    expect(done.ok && done.value.status).toBe('CANCELED');
    const trades = second.hub.history.query({ symbol: 'BTCUSDT', limit: 10 });
    expect(trades.map((t) => [t.side, t.price, t.qty])).toEqual([['BUY', fx('50000'), fx('0.01')]]);

    // The restored resting buy still fills, with fresh ids continuing the stored sequence.
    second.hub.trade(tick('48500', '1'));
    expect(openIds(second.hub)).toEqual(['sell-1:NEW']);
    const after = second.hub.history.query({ symbol: 'BTCUSDT', limit: 10 });
    expect(after).toHaveLength(2);
    expect(after[1]!.id).toBeGreaterThan(after[0]!.id);
    expect(after[1]!.orderId).toBe(
      Number(
        (second.hub.engine.getOrder('BTCUSDT', { clientOrderId: 'buy-2' }) as { ok: true; value: { exchangeOrderId: string } }).value
          .exchangeOrderId,
      ),
    );
  });

  it('saves after venue events (flush) and on close, as one versioned JSON document under one key', async () => {
    const p = prefix();
    const a = await openOk(p);
    place(a.hub, 'BUY', '40000', '0.01', 'x');
    await a.persistence!.flush();
    const stored = await withRedis((r) => r.get(accountKey(p)));
    const doc = JSON.parse(stored!) as { version: number; account: { matching: { openOrders: { clientOrderId: string }[] } } };
    expect(doc.version).toBe(1);
    expect(doc.account.matching.openOrders.map((o) => o.clientOrderId)).toEqual(['x']);
    place(a.hub, 'BUY', '40000', '0.01', 'y');
    await a.persistence!.close(); // the final save, without waiting for the interval
    const b = await openOk(p);
    expect(openIds(b.hub)).toEqual(['x:NEW', 'y:NEW']);
  });

  it('reset starts fresh from the starting balances and overwrites the stored account', async () => {
    const p = prefix();
    const a = await openOk(p);
    trade(a.hub);
    await a.persistence!.close();

    const b = await openOk(p, { reset: true, balances: { USDT: fx('500') } });
    expect(b.restored).toBe(false);
    expect(openIds(b.hub)).toEqual([]);
    expect(b.hub.engine.balances().map((x) => [x.asset, x.free])).toEqual([['USDT', fx('500')]]);
    await b.persistence!.close();

    const c = await openOk(p);
    expect(c.restored).toBe(true);
    expect(c.hub.engine.balances().map((x) => [x.asset, x.free])).toEqual([['USDT', fx('500')]]);
    expect(c.hub.history.query({ symbol: 'BTCUSDT', limit: 10 })).toEqual([]);
  });

  it.each([
    ['not JSON', '{"version":1,', 'ACCOUNT_CORRUPT', /not valid JSON/],
    ['another version', '{"version":2,"account":{}}', 'ACCOUNT_VERSION', /version 2.*reads version 1/],
    ['a damaged field', 'FIELD', 'ACCOUNT_CORRUPT', /damaged at account\.matching\.balances\.0\.free/],
  ])('a stored document that is %s is refused, named, and left as it was', async (_what, text, code, message) => {
    const p = prefix();
    let doc = text;
    if (text === 'FIELD') {
      const a = await openOk(p);
      await a.persistence!.close();
      const good = (await withRedis((r) => r.get(accountKey(p))))!;
      doc = good.replace(/"free":"[^"]*"/, '"free":"lots"');
    }
    await withRedis((r) => r.set(accountKey(p), doc));
    const r = await open(p);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.message).toMatch(message);
    expect(r.error.message).toContain('PAPER_RESET=true');
    expect(await withRedis((x) => x.get(accountKey(p)))).toBe(doc);

    const reset = await openOk(p, { reset: true }); // the way out the message names
    expect(reset.restored).toBe(false);
  });

  it('with Redis unreachable the hub runs in memory and says so once, within about a second', async () => {
    const port = await closedPort();
    const started = performance.now();
    const r = await openOk(prefix(), { url: `redis://127.0.0.1:${port}` });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(r.persistence).toBeUndefined();
    expect(r.restored).toBe(false);
    expect(r.warning).toMatch(/unreachable.*in memory only/);
    trade(r.hub); // and trades normally
    expect(openIds(r.hub)).toEqual(['buy-2:NEW', 'sell-1:NEW']);
  });
});
