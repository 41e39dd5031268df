import { describe, expect, it } from 'vitest';
import { paperChat, until } from '../../kit/paper-chat.js';
import { closedPort } from '../../kit/redis.js';
import { parsePrometheus, total } from './ops-http.js';

async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

describe('/metrics', () => {
  it('parses as Prometheus text and counts the fills, re-arms and risk denials that went over the bus', async () => {
    // 15 open orders per symbol: a 10-level grid's 20 orders meet 5 denials.
    const chat = await paperChat({ METRICS_PORT: String(await closedPort()), RISK_MAX_OPEN_ORDERS_PER_SYMBOL: '15' });
    const { app, type, market } = chat;
    const url = app.ops.url()!;
    const bus = app.kernel.host.bus;
    const fills = { BUY: 0, SELL: 0 };
    const denials: string[] = [];
    bus.on('OrderFilled', (e) => fills[e.side]++);
    bus.on('OrderDenied', (e) => denials.push(e.code));

    const before = await scrape(url);
    expect(total(before, 'telegrid_fills_total')).toBe(0);
    expect(total(before, 'telegrid_healthy')).toBe(1);
    expect(total(before, 'telegrid_redis_up')).toBe(1);
    expect(before.some((s) => s.name === 'bullmq_job_count' && s.labels.queue === 'orders-place' && s.labels.state === 'waiting')).toBe(
      true,
    );
    expect(total(before, 'telegrid_rate_budget_limit', { rule: 'weight:1m' })).toBeGreaterThan(0);

    await market(0.2);
    await type('/grid BTCUSDT 10 0.5', 'Type confirm or cancel.');
    await type('confirm', 'Grid G1 started');
    await until(() => denials.length > 0);
    await market(60);
    await until(() => fills.BUY + fills.SELL > 0);

    const after = await scrape(url);
    expect(total(after, 'telegrid_fills_total', { symbol: 'BTCUSDT', side: 'BUY' })).toBe(fills.BUY);
    expect(total(after, 'telegrid_fills_total', { symbol: 'BTCUSDT', side: 'SELL' })).toBe(fills.SELL);
    expect(total(after, 'telegrid_risk_denials_total')).toBe(denials.length);
    expect(total(after, 'telegrid_risk_denials_total', { reason: 'MAX_OPEN_ORDERS_SYMBOL' })).toBe(
      denials.filter((code) => code === 'MAX_OPEN_ORDERS_SYMBOL').length,
    );
    // Every limit fill of a running grid is re-armed one level over (or refused, which is a denial).
    const rearms = total(after, 'telegrid_rearms_total', { symbol: 'BTCUSDT' });
    expect(rearms).toBeGreaterThan(0);
    expect(rearms).toBeLessThanOrEqual(fills.BUY + fills.SELL);
    expect(total(after, 'telegrid_order_ack_seconds_count')).toBeGreaterThanOrEqual(15);
    expect(total(after, 'telegrid_trading_state', { state: 'ACTIVE' })).toBe(1);
  }, 60_000);
});
