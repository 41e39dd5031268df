import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';
import { until } from '../../kit/paper-chat.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe('a grid re-arm the exchange never placed (a 5xx, then no answer until the settle window closed)', () => {
  it('waits as a level, and is placed once more after its back-off: the grid keeps every level, nothing doubled', async () => {
    // At 10× speed: the settle window (1 s) and the grid's back-off (5 s) pass in a tenth of that.
    rig = await pipelineRig({ rate: 10, limits: { ordersPer10s: 100_000 }, env: { UNKNOWN_SETTLE_SECONDS: '1' } });
    await rig.type('/grid BTCUSDT 3 0.5 100', 'Type confirm or cancel.');
    await rig.type('confirm', 'Grid G1 started');
    const kernel = rig.app.kernel;
    await until(() => rig!.venueOpen().length === 6 && kernel.tracker.open().every((o) => o.status === 'accepted'), 15_000);
    const buy = kernel.tracker
      .open()
      .filter((o) => o.intent.side === 'BUY')
      .sort((a, b) => (a.intent.price! > b.intent.price! ? -1 : 1))[0]!;

    // The re-arm's POST answers 503 without placing it, and every question about it 503s until the settle window ends.
    rig.server.faults.arm({ kind: 'http5xx', match: 'POST /api/v3/order', count: 1 });
    rig.server.faults.arm({ kind: 'http5xx', match: 'GET /api/v3/order', count: 'all' });
    rig.tick('BTCUSDT', buy.intent.price! - fx('0.01'));
    const told = await rig.type('', /Order outcome unknown: SELL BTCUSDT (tg_G1_\d+_S\d+)/, 15_000);
    const first = /Order outcome unknown: SELL BTCUSDT (tg_G1_\d+_S\d+)/.exec(told)![1]!;

    // The reconciler finds the exchange never had it: until now that ended the level, leaving the bought coins unsold.
    rig.server.faults.clear();
    await kernel.reconciler.reconcile();
    expect(kernel.tracker.get(first)?.status).toBe('rejected');
    const grid = () => kernel.grids.summaries()[0]!;
    expect(grid().waiting).toMatchObject([{ cause: 'exchange', count: 1 }]);
    expect(grid().openOrders).toBe(5);
    expect(await rig.type('/grids', 'waiting')).toMatch(/5 open orders[\s\S]*⏳ 1 level waiting: exchange error, retrying/);

    // Trades at the filled buy's level (above every other buy, under every sell) until the back-off has passed.
    await until(() => {
      rig!.tick('BTCUSDT', buy.intent.price!);
      return grid().waiting === undefined;
    }, 15_000);
    await until(() => rig!.venueOpen().length === 6, 15_000);
    await rig.app.pipeline.executor.settled();
    const again = kernel.grids.openOrderIds('G1').find((id) => id.endsWith('_S0'))!;
    expect(again).toMatch(/^tg_G1_\d+_S0$/);
    expect(again).not.toBe(first);
    expect(rig.accepted.get(again)).toHaveLength(1);
    expect(rig.accepted.get(first)).toBeUndefined();
    expect(rig.venueOpen()).toEqual(rig.botOpen());
    expect(rig.venueOpen()).toHaveLength(6);
    expect(grid()).toMatchObject({ status: 'running', openOrders: 6 });
    expect(grid().issues?.map((i) => i.code)).toEqual(['NOT_PLACED']);
  }, 60_000);
});
