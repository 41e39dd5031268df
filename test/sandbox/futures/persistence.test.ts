import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { type PersistentHub, openPersistentHub } from '../../../src/sandbox/index.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../../kit/redis.js';
import { BTC, ETH, START, limit, market } from './fixtures.js';

const opened: PersistentHub[] = [];
const prefixes: string[] = [];
afterEach(async () => {
  for (const p of opened.splice(0)) await p.persistence?.close();
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

async function open(keyPrefix: string, now: () => number): Promise<PersistentHub> {
  const r = await openPersistentHub({
    hub: { instruments: [BTC, ETH], account: { apiKey: 'k'.repeat(8), apiSecret: 's'.repeat(8) }, now },
    store: { url: REDIS_URL, keyPrefix },
  });
  if (!r.ok) throw new Error(r.error.message);
  opened.push(r.value);
  return r.value;
}

describe('the futures account persists with the spot account', () => {
  it('a position, an open order and a margin-type change survive a restart', async () => {
    const keyPrefix = uniquePrefix();
    prefixes.push(keyPrefix);
    const now = () => START;
    const first = await open(keyPrefix, now);
    first.hub.trade({ symbol: 'BTCUSDT', price: fx('60000'), quantity: fx('1'), time: START, tradeId: 1, isBuyerMaker: false });
    expect(first.hub.futures.setMarginType('ETHUSDT', 'ISOLATED', START).ok).toBe(true); // no event: saved as a change
    expect(first.hub.futures.placeOrder(market('BUY', '0.1', 'long'), START).ok).toBe(true);
    expect(first.hub.futures.placeOrder(limit('BUY', '59000', '0.01', 'bid'), START).ok).toBe(true);
    await first.persistence?.close();
    opened.splice(0);

    const second = await open(keyPrefix, now);
    expect(second.restored).toBe(true);
    const f = second.hub.futures;
    const pos = f.positions('BTCUSDT');
    expect(pos.ok && [pos.value[0]?.positionAmt, pos.value[0]?.entryPrice]).toEqual([fx('0.1'), fx('60000')]);
    const open_ = f.openOrders();
    expect(open_.ok && open_.value.map((o) => o.clientOrderId)).toEqual(['bid']);
    expect(f.symbolConfig('ETHUSDT')).toMatchObject({ ok: true, value: [{ marginType: 'ISOLATED' }] });
    expect(f.balances()[0]?.walletBalance).toBe(fx('9997'));
  });
});
