import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import type { SandboxHub } from '../../../src/sandbox/index.js';
import { until } from '../../kit/paper-chat.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { spawnTelegrid } from '../../kit/telegrid-process.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** A bot-prefixed order the saved state does not know (another run's, a lost Redis), and one the owner placed by hand. */
function leftOnTheExchange(hub: SandboxHub): void {
  for (const clientOrderId of ['tg_X1_B', 'owner-own-order-1']) {
    const placed = hub.placeOrder({
      clientOrderId,
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      price: fx('90000'),
      quantity: fx('0.0001'),
      timeInForce: 'GTC',
    });
    if (!placed.ok) throw new Error(placed.error.message);
  }
}

describe('orphans at start', () => {
  it('adopts a bot-prefixed order the state does not know (by default), says so, and never touches the owner’s own', async () => {
    rig = await pipelineRig({ beforeStart: leftOnTheExchange });
    expect(rig.screen()).toMatch(/bot orders on the exchange the state did not know, adopted .*: 1 \(tg_X1_B\)/);
    expect(rig.app.kernel.tracker.get('tg_X1_B')?.status).toBe('accepted');
    expect(rig.app.kernel.tracker.get('owner-own-order-1')).toBeUndefined();
    expect(rig.venueOpen()).toEqual(['owner-own-order-1', 'tg_X1_B']);
  });

  it('cancels it with ORPHAN_ORDERS=cancel, leaving the owner’s own order alone', async () => {
    rig = await pipelineRig({ beforeStart: leftOnTheExchange, env: { ORPHAN_ORDERS: 'cancel' } });
    expect(rig.screen()).toMatch(/cancelled: 1 \(tg_X1_B\)/);
    await until(() => rig!.venueOpen().length === 1, 10_000);
    expect(rig.venueOpen()).toEqual(['owner-own-order-1']);
  });
});

describe('telegrid worker', () => {
  it('a separate worker process works the bot’s queue on the same Redis, and stops cleanly on SIGTERM', async () => {
    rig = await pipelineRig({ env: { ORDER_WORKERS_IN_PROCESS: 'false' }, limits: { ordersPer10s: 100_000 } });
    const intents = rig.restingBuys(5);
    rig.submit(intents);
    await new Promise((r) => setTimeout(r, 300));
    expect(rig.accepted.size).toBe(0); // nobody works the queue in the bot
    const cwd = mkdtempSync(join(tmpdir(), 'telegrid-worker-'));
    const child = spawnTelegrid(['worker'], rig.sharedEnv, cwd);
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await until(() => rig!.accepted.size === 5, 30_000);
      await until(() => rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 10_000);
      expect(rig.botOpen()).toEqual(intents.map((i) => i.clientOrderId).sort());
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exit).toBe(0);
    expect(err).toContain('telegrid worker: stopped');
  }, 60_000);
});

describe('/kill flatten', () => {
  it('after the cancels, sells the position at market under its own confirmation, and the receipt says what was sent', async () => {
    rig = await pipelineRig({ balances: { USDT: fx('10000') }, limits: { ordersPer10s: 100_000 } });
    await rig.type('/grid BTCUSDT 3 0.5 50', 'Type confirm or cancel.');
    await rig.type('confirm', 'Grid G1 started');
    await until(() => (rig!.app.kernel.portfolio.positions().find((p) => p.symbol === 'BTCUSDT')?.quantity ?? 0n) > 0n, 10_000);
    await until(() => rig!.app.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 6, 10_000);

    const preview = await rig.type('/kill flatten', 'Type confirm or cancel.');
    expect(preview).toMatch(/SELL [\d.]+ BTCUSDT at MARKET/);
    const receipt = await rig.type('confirm', 'Send /resume to trade again.', 30_000);
    expect(receipt).toContain('Orders cancelled: 6');
    expect(receipt).toMatch(/Market orders sent: 1/);
    expect(receipt).toMatch(/SELL [\d.]+ BTCUSDT at MARKET: filled/);
    expect(rig.venueOpen()).toEqual([]);
    const left = rig.app.kernel.portfolio.positions().find((p) => p.symbol === 'BTCUSDT')?.quantity ?? 0n;
    expect(left < fx('0.00001')).toBe(true); // at most the sub-step dust the lot size cannot sell
    expect(rig.app.kernel.tradingState.state()).toBe('HALTED');
  }, 60_000);
});
