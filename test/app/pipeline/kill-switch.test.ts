import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../kit/paper-chat.js';
import { pipelineRig } from '../../kit/pipeline-rig.js';

type Rig = Awaited<ReturnType<typeof pipelineRig>>;
let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'BNBUSDT', 'SOLUSDT', 'XRPUSDT'];

describe('kill switch under load', () => {
  it(
    '/kill with 1,000 placements queued and the next 20 requests answered 429: ' +
      'nothing placed after the halt, every bot order cancelled, the acknowledgement first and HALTED in Redis by then',
    async () => {
      // Binance's own ORDERS limit (50 per 10 s) on wall time: the first 50 go out, the rest wait in the queue.
      rig = await pipelineRig({ symbols: SYMBOLS });
      let haltedAt: number | undefined;
      rig.app.kernel.host.bus.on('TradingStateChanged', (m) => {
        if (m.to === 'HALTED') haltedAt ??= rig!.time.now();
      });
      rig.submit(rig.restingBuys(1_000));
      await until(() => rig!.accepted.size >= 50, 20_000);

      rig.server.faults.arm({ kind: 'rateLimit', match: '*', count: 20 });
      const ack = await rig.type('/kill now', 'The receipt follows within 10 s.');
      expect(await rig.app.kernel.shared!.read()).toBe('HALTED');
      expect(ack).not.toContain('Send /resume');
      await until(() => rig!.screen().includes('Send /resume to trade again.'), 45_000);
      // The rig's receipt bound never passes: the receipt comes once every order is settled.
      const receipt = rig.screen().slice(rig.screen().indexOf('Kill switch receipt'));

      expect(haltedAt).toBeDefined();
      const placedAfter = [...rig.accepted.values()].filter((times) => times.some((t) => t > haltedAt!));
      expect(placedAfter).toEqual([]);
      expect(rig.venueOpen().filter((id) => id.startsWith('tg_'))).toEqual([]);
      const placed = rig.accepted.size;
      expect(receipt).toContain(`Orders cancelled: ${placed}`);
      // Named in full when it fails: which orders, and what the exchange said.
      const rest = receipt.slice(receipt.indexOf('Orders cancelled'), receipt.indexOf('Queued placements dropped'));
      expect(rest, rest).not.toMatch(/refused|Still being asked|Filled before/);
      const dropped = Number(/Queued placements dropped: (\d+)/.exec(receipt)?.[1]);
      expect(dropped).toBeGreaterThan(0);
      expect(placed + dropped).toBe(1_000);
      // The 429s were met and waited out (the fault took 20 requests), not worked around.
      expect(rig.responses.filter((r) => r.status === 429).length).toBe(20);
      expect(rig.responses.filter((r) => r.status === 418)).toEqual([]);
      expect(rig.botOpen()).toEqual([]);
    },
    60_000,
  );
});
