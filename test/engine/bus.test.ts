import { describe, expect, it } from 'vitest';
import type { EngineEvent, Message, TradeTick } from '../../src/domain/index.js';
import { type Component, type ComponentContext, BusHost, ManualClock, MessageBus, SequentialIds } from '../../src/engine/index.js';
import { anIntent } from '../kit/builders.js';

const tick = (n: number): TradeTick => ({ symbol: 'BTCUSDT', price: BigInt(n), quantity: 1n, time: n, tradeId: n, isBuyerMaker: false });
const ticked = (n: number): EngineEvent => ({ type: 'TradeTicked', tick: tick(n) });
const n = (m: Message) => (m.type === 'TradeTicked' ? Number(m.tick.tradeId) : -1);

/** A component that runs `onTick` on every trade, under its own name on the bus. */
function component(name: string, onTick: (m: Extract<Message, { type: 'TradeTicked' }>, ctx: ComponentContext) => void): Component {
  return {
    name,
    attach(ctx) {
      ctx.bus.on('TradeTicked', (m) => onTick(m, ctx));
    },
  };
}

function host() {
  const reported: string[] = [];
  const h = new BusHost(new ManualClock(0), new SequentialIds(), (f) => reported.push(`${f.component}/${f.messageType}/${f.error}`));
  return { h, reported };
}

describe('message bus', () => {
  it('delivers in FIFO order: what a handler publishes waits until the current message has reached every handler', () => {
    const bus = new MessageBus();
    const seen: string[] = [];
    bus.on('TradeTicked', (m) => {
      seen.push(`a${n(m)}`);
      if (n(m) === 1) {
        bus.publish(ticked(2));
        bus.publish(ticked(3));
      }
    });
    bus.on('TradeTicked', (m) => seen.push(`b${n(m)}`));
    bus.publish(ticked(1));
    expect(seen).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it('keeps causal order: an effect is never seen before its cause, by any handler', () => {
    const bus = new MessageBus();
    const log: string[] = [];
    bus.on('OrderAccepted', () => log.push('accepted'));
    bus.on('TradeTicked', () =>
      bus.publish({
        type: 'OrderAccepted',
        clientOrderId: 'x',
        symbol: 'BTCUSDT',
        side: 'BUY',
        owner: { kind: 'manual' },
        time: 0,
        exchangeOrderId: '1',
      }),
    );
    bus.on('TradeTicked', () => log.push('tick'));
    bus.publish(ticked(1));
    expect(log).toEqual(['tick', 'accepted']);
  });

  it('never re-enters a handler: a publish from inside a handler returns before its message is delivered', () => {
    const bus = new MessageBus();
    let depth = 0;
    let deepest = 0;
    bus.on('TradeTicked', (m) => {
      depth++;
      deepest = Math.max(deepest, depth);
      if (n(m) < 5) bus.publish(ticked(n(m) + 1));
      depth--;
    });
    bus.publish(ticked(1));
    expect(deepest).toBe(1);
  });

  it('sends a command to its one handler, and refuses a second handler when it is wired', () => {
    const bus = new MessageBus();
    const got: string[] = [];
    bus.handle('SubmitOrder', (m) => got.push(m.intent.clientOrderId), 'risk-gate');
    expect(() => bus.handle('SubmitOrder', () => undefined, 'other')).toThrow(/SubmitOrder already has a handler \(risk-gate\)/);
    bus.send({ type: 'SubmitOrder', intent: anIntent({ clientOrderId: 'tg_a' }) });
    expect(got).toEqual(['tg_a']);
  });

  it('a whole build is checked for a command nobody handles', () => {
    const { h } = host();
    h.bus.handle('SubmitOrder', () => undefined);
    h.bus.handle('PlaceOrder', () => undefined);
    expect(() => h.assertWired()).toThrow(/nothing handles CancelOrder/);
    h.bus.handle('CancelOrder', () => undefined);
    expect(() => h.assertWired()).not.toThrow();
  });
});

describe('fault isolation', () => {
  it('a throwing handler loses nothing: the other handlers and every queued message are still delivered, in order', () => {
    const { h, reported } = host();
    const seen: number[] = [];
    h.add(
      component('cascade', (m, ctx) => {
        if (n(m) === 1) {
          ctx.bus.publish(ticked(2));
          ctx.bus.publish(ticked(3));
        }
      }),
    );
    h.add(
      component('faulty', (m) => {
        if (n(m) === 1) throw new Error('boom');
      }),
    );
    h.add(component('after', (m) => seen.push(n(m))));
    h.bus.publish(ticked(1));
    expect(seen).toEqual([1, 2, 3]);
    expect(reported).toEqual(['faulty/TradeTicked/boom']);
  });

  it('marks the component FAULTED, silences it, reports the fault once, and puts ComponentFaulted on the bus', () => {
    const { h, reported } = host();
    let faultyCalls = 0;
    h.add(
      component('faulty', () => {
        faultyCalls++;
        throw new Error('bad state');
      }),
    );
    h.add(component('healthy', () => undefined));
    const faults: Message[] = [];
    h.bus.on('ComponentFaulted', (m) => faults.push(m));
    h.bus.publish(ticked(1));
    h.bus.publish(ticked(2));
    expect(faultyCalls).toBe(1);
    expect(h.state('faulty')).toBe('FAULTED');
    expect(h.state('healthy')).toBe('READY');
    expect(reported).toHaveLength(1);
    expect(faults).toEqual([{ type: 'ComponentFaulted', component: 'faulty', messageType: 'TradeTicked', error: 'bad state', time: 0 }]);
    expect(h.faulted()).toEqual([{ component: 'faulty', messageType: 'TradeTicked', error: 'bad state' }]);
  });

  it('a command sent with no handler is a fault, not a silent loss', () => {
    const { h, reported } = host();
    h.bus.send({ type: 'CancelOrder', clientOrderId: 'x', symbol: 'BTCUSDT', reason: 'test' });
    expect(reported).toEqual(['subscriber/CancelOrder/nothing handles CancelOrder']);
  });

  it('a bare bus (no host) still delivers everything queued, then throws the fault to the caller', () => {
    const bus = new MessageBus();
    const seen: number[] = [];
    bus.on('TradeTicked', (m) => {
      if (n(m) === 1) {
        bus.publish(ticked(2));
        throw new Error('first');
      }
    });
    bus.on('TradeTicked', (m) => seen.push(n(m)));
    expect(() => bus.publish(ticked(1))).toThrow('first');
    expect(seen).toEqual([1, 2]);
  });
});
