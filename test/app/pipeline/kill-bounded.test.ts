import { afterEach, describe, expect, it } from 'vitest';
import { fx } from '../../../src/domain/index.js';
import type { SandboxHub } from '../../../src/sandbox/index.js';
import { until } from '../../kit/until.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const ACKED = 'The receipt follows within 10 s.';
const FAST = { ordersPer10s: 100_000 };

/** The receipt's bound, passed when the test says so. */
function heldBound() {
  let pass: () => void = () => undefined;
  const passed = new Promise<void>((resolve) => (pass = resolve));
  return { bound: () => passed, pass };
}

/** What the chat printed from `mark` on, once `text` is in it. */
async function printed(r: Rig, mark: number, text: string): Promise<string> {
  await until(() => r.screen().slice(mark).includes(text), 30_000);
  return r.screen().slice(mark);
}

function ownerOrderOn(symbol: string, price: string, quantity: string) {
  return (hub: SandboxHub) => {
    const placed = hub.placeOrder({
      clientOrderId: 'owner-own-order-1',
      symbol,
      side: 'BUY',
      type: 'LIMIT',
      price: fx(price),
      quantity: fx(quantity),
      timeInForce: 'GTC',
    });
    if (!placed.ok) throw new Error(placed.error.message);
  };
}

describe('the kill switch against a hanging exchange', () => {
  it(
    'acknowledges with HALTED in Redis before any cancel settles; the receipt at the bound lists the orders as unknown; ' +
      'an update settles them once the exchange answers',
    async () => {
      const receipt = heldBound();
      rig = await pipelineRig({ symbols: ['BTCUSDT', 'ETHUSDT'], limits: FAST, killReceiptBound: receipt.bound });
      rig.submit(rig.restingBuys(4));
      await until(() => rig!.botOpen().length === 4 && rig!.app.kernel.tracker.open().every((o) => o.status === 'accepted'), 10_000);

      rig.server.faults.arm({ kind: 'hang', match: '*', count: 'all' });
      const mark = rig.screen().length;
      const ack = await rig.type('/kill now', ACKED);
      expect(ack).toContain('Cancelling 4 bot orders on 2 symbols.');
      expect(await rig.app.kernel.shared!.read()).toBe('HALTED');
      // Nothing has settled: every order is still open on the exchange and, as far as the bot knows, on the book.
      expect(rig.venueOpen().filter((id) => id.startsWith('tg_'))).toHaveLength(4);
      expect(rig.app.kernel.tracker.open().map((o) => o.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);
      expect(ack).not.toContain('Kill switch receipt');

      // Both sweeps have asked the exchange and are held there; then the bound passes.
      const asked = () => rig!.server.faults.status().fired.filter((f) => f.request === 'GET /api/v3/openOrders').length;
      await until(() => asked() >= 2, 10_000);
      receipt.pass();
      const atBound = await printed(rig, mark, 'Send /resume to trade again.');
      const text = atBound.slice(atBound.indexOf('🛑 Kill switch receipt'));
      expect(text).toContain('Orders cancelled: 0\n');
      expect(text).toContain('Still being asked (an update follows once each is settled): 4\n');
      expect(text).not.toContain('Kill switch update');

      rig.server.faults.clear(); // the exchange is back
      const update = await printed(rig, mark, 'Kill switch update');
      const settled = update.slice(update.indexOf('🛑 Kill switch update'));
      await printed(rig, mark + update.indexOf('🛑 Kill switch update'), 'Send /resume to trade again.');
      expect(rig.screen().slice(mark)).toMatch(/Kill switch update: every order is settled\. Trading is HALTED\.\nOrders cancelled: 4\n/);
      expect(settled).not.toContain('Still being asked');
      expect(rig.venueOpen()).toEqual([]);
      expect(rig.app.kernel.tradingState.state()).toBe('HALTED');
    },
    60_000,
  );
});

describe('the kill switch on a calm exchange', () => {
  it('/kill confirmed: one cancel-all where every open order is the bot’s, per-order cancels where the owner has one too', async () => {
    rig = await pipelineRig({ symbols: ['BTCUSDT', 'ETHUSDT'], limits: FAST, beforeStart: ownerOrderOn('ETHUSDT', '3000', '0.002') });
    rig.submit(rig.restingBuys(4)); // two on each symbol
    await until(() => rig!.app.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 4, 10_000);

    await rig.type('/kill', 'Type confirm or cancel.');
    const before = rig.responses.length;
    const mark = rig.screen().length;
    const ack = await rig.type('confirm', ACKED);
    expect(ack).toContain('🛑 Kill switch: trading HALTED.\nCancelling 4 bot orders on 2 symbols.');
    expect(await rig.app.kernel.shared!.read()).toBe('HALTED');
    const receipt = await printed(rig, mark, 'Send /resume to trade again.');
    expect(receipt).toContain('Orders cancelled: 4\n');

    const sent = rig.responses.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(sent.filter((r) => r === 'DELETE /api/v3/openOrders')).toHaveLength(1); // BTCUSDT: all the bot's
    expect(sent.filter((r) => r === 'DELETE /api/v3/order')).toHaveLength(2); // ETHUSDT: the owner's order is there
    expect(rig.venueOpen()).toEqual(['owner-own-order-1']);
  });

  it('an order filled before the cancel arrived is its own line, neither a failure nor live', async () => {
    rig = await pipelineRig({ limits: FAST });
    const [first, second] = rig.restingBuys(2);
    rig.submit([first!, second!]);
    await until(() => rig!.app.kernel.tracker.open().filter((o) => o.status === 'accepted').length === 2, 10_000);
    // The bot does not hear the fill (its user stream is held): only the exchange knows the order is gone.
    rig.server.faults.arm({ kind: 'pauseUserStream', ms: 600_000 });
    // A trade goes through a resting order only below its limit: at the second's price (a tick under), the first fills.
    rig.tick('BTCUSDT', second!.price!);
    await until(() => rig!.venueOpen().length === 1, 10_000);
    expect(rig.app.kernel.tracker.get(first!.clientOrderId)?.status).toBe('accepted');

    const mark = rig.screen().length;
    await rig.type('/kill now', ACKED);
    const receipt = await printed(rig, mark, 'Send /resume to trade again.');
    expect(receipt).toContain(`Orders cancelled: 1\n  ${second!.clientOrderId} BTCUSDT\n`);
    expect(receipt).toContain(`Filled before the cancel arrived (not live): 1\n  ${first!.clientOrderId} BTCUSDT\n`);
    expect(receipt).not.toMatch(/refused|may still be live|Still being asked/);
    expect(rig.venueOpen()).toEqual([]);
  });
});
