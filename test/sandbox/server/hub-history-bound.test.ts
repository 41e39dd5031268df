/**
 * The paper venue's memory is bounded however long it trades: the fills myTrades answers from and the order facts the
 * order endpoints add are kept for the last `historyLimit` fills and finished orders (the matching core forgets the
 * finished orders themselves at the same count), and the account's saved document holds no more.
 */
import { describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { SandboxHub, type SandboxHubOptions } from '../../../src/sandbox/index.js';
import { BTC, limit, tick } from '../matching/fixtures.js';

const options = (historyLimit: number): SandboxHubOptions => ({
  instruments: [BTC],
  balances: { USDT: fx('1000000') },
  account: { apiKey: 'k'.repeat(8), apiSecret: 's'.repeat(8) },
  now: () => 1_000,
  historyLimit,
});

/** A hub with one buy resting far below the market all along, and `n` buys each filled in full by a trade through it. */
function traded(hub: SandboxHub, n: number): void {
  const rest = hub.placeOrder(limit('BUY', '10000', '0.01', 'resting'));
  if (!rest.ok) throw new Error(rest.error.message);
  for (let i = 0; i < n; i++) {
    const r = hub.placeOrder(limit('BUY', '50000', '0.01', `buy-${i}`));
    if (!r.ok) throw new Error(r.error.message);
    hub.trade(tick('49999', '1'));
  }
}

/** The venue's id of an order it still knows. */
function orderId(hub: SandboxHub, clientOrderId: string): number {
  const r = hub.engine.getOrder('BTCUSDT', { clientOrderId });
  if (!r.ok) throw new Error(`${clientOrderId}: ${r.error.message}`);
  return Number(r.value.exchangeOrderId);
}
const fills = (hub: SandboxHub) => hub.history.query({ symbol: 'BTCUSDT', limit: 1_000_000 });

describe('the sandbox keeps its last fills and finished orders, up to historyLimit', () => {
  it('forgets the oldest fills and the facts of the oldest finished orders, never those of an open order', () => {
    const hub = new SandboxHub(options(5));
    traded(hub, 50);
    const kept = fills(hub);
    expect(kept).toHaveLength(5);
    // The last five fills, oldest first: those of buy-45 … buy-49.
    expect(kept.map((t) => t.orderId)).toEqual([45, 46, 47, 48, 49].map((i) => orderId(hub, `buy-${i}`)));
    const first = kept[0]?.orderId as number;
    expect(hub.history.orderMeta(first)).toBeDefined();
    // buy-44's facts went with the order itself (the matching core no longer knows it either).
    expect(hub.engine.getOrder('BTCUSDT', { clientOrderId: 'buy-44' }).ok).toBe(false);
    expect(hub.history.orderMeta(first - 1)).toBeUndefined();
    expect(hub.history.orderMeta(orderId(hub, 'resting'))).toBeDefined();
  });

  it("saves no more than the bound, and a document saved under a larger one is cut to the hub's on restore", () => {
    const big = new SandboxHub(options(40));
    traded(big, 50);
    expect(big.snapshot().history.trades).toHaveLength(40);
    const restored = SandboxHub.fromSnapshot(options(5), big.snapshot());
    if (!restored.ok) throw new Error(restored.error.message);
    const hub = restored.value;
    expect(fills(hub).map((t) => t.orderId)).toEqual([45, 46, 47, 48, 49].map((i) => orderId(big, `buy-${i}`)));
    expect(
      hub
        .snapshot()
        .history.orders.map((o) => o.orderId)
        .sort((a, b) => a - b),
    ).toEqual(['resting', ...[45, 46, 47, 48, 49].map((i) => `buy-${i}`)].map((c) => orderId(big, c)).sort((a, b) => a - b));
    // From here on it forgets in order: a new finished order pushes out buy-45's facts and fill.
    const r = hub.placeOrder(limit('BUY', '50000', '0.01', 'buy-50'));
    if (!r.ok) throw new Error(r.error.message);
    hub.trade(tick('49999', '1'));
    expect(fills(hub)).toHaveLength(5);
    expect(hub.history.orderMeta(orderId(big, 'buy-45'))).toBeUndefined();
    expect(hub.history.orderMeta(orderId(big, 'resting'))).toBeDefined();
  });
});
