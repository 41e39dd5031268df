import { describe, expect, it } from 'vitest';
import { describeEvent, followEvents } from '../../../src/chat/index.js';
import { type Notification, outboxNotifier } from '../../../src/chat/outbox/index.js';
import { type Message, fx } from '../../../src/domain/index.js';
import { MessageBus } from '../../../src/engine/index.js';
import { aFill, anOrderHeader } from '../../kit/builders.js';

const base = anOrderHeader();
/** 0.00105 at 94 525: quote 99.25125; the fee, 0.00000105 BTC, is 0.09925125 USDT. */
const filled = aFill({ ...base, tradeId: 42, price: fx('94525'), quantity: fx('0.00105'), commission: fx('0.00000105') });

describe('bus events to outbox notifications', () => {
  it('a fill carries its exact numbers and the rendered line', () => {
    expect(describeEvent(filled, () => 'USDT')).toEqual({
      kind: 'fill',
      text: '✅ Filled BUY 0.00105 BTCUSDT @ 94525.00 (fee 0.00000105 BTC) · grid G1',
      symbol: 'BTCUSDT',
      fill: { side: 'BUY', quantity: fx('0.00105'), quote: fx('99.25125'), quoteAsset: 'USDT' },
    });
  });

  it('kinds: denial and unknown orders are urgent by kind, a halt is urgent, the rest routine', () => {
    const kinds = (m: Message): [string, boolean | undefined] | undefined => {
      const n = describeEvent(m, () => 'USDT');
      return n && [n.kind, n.urgent];
    };
    expect(kinds({ type: 'TradingStateChanged', from: 'ACTIVE', to: 'HALTED', reason: 'kill', time: 0 })).toEqual(['state', true]);
    expect(kinds({ type: 'TradingStateChanged', from: 'HALTED', to: 'ACTIVE', reason: 'resume', time: 0 })).toEqual(['state', false]);
    expect(kinds({ ...base, type: 'OrderUnknown', code: '-1007', message: 'timeout' } as Message)).toEqual(['unknown_order', undefined]);
    expect(kinds({ type: 'MarketDataResumed', symbols: ['BTCUSDT'], gapMs: 4_200, time: 0 })).toEqual(['data', undefined]);
    expect(kinds({ type: 'GridStarted', gridId: 'G1', symbol: 'BTCUSDT', levels: 10, orders: 20, requested: 20 })).toBeUndefined();
  });

  it('the outbox notifier queues each note for every allowed chat until stopped, and reports a failed enqueue', async () => {
    const bus = new MessageBus();
    const got: Notification[] = [];
    const errors: unknown[] = [];
    let fail = false;
    const outbox = { enqueue: async (n: Notification) => (fail ? Promise.reject(new Error('redis down')) : got.push(n)) };
    const stop = followEvents(
      bus,
      outboxNotifier(outbox, [7], (e) => errors.push(e)),
      () => 'USDT',
    );
    bus.publish(filled);
    fail = true;
    bus.publish(filled);
    stop();
    bus.publish(filled);
    await new Promise<void>((r) => setImmediate(r));
    expect(got.map((n) => [n.chatId, n.kind])).toEqual([[7, 'fill']]);
    expect(errors).toHaveLength(1);
  });
});
