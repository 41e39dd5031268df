import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/chat/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

function setup() {
  const services = new FakeServices();
  const clock = new ManualClock(1_000_000);
  const dispatcher = new Dispatcher({ services, clock });
  const say = (text: string, chat = 'chat-1') => dispatcher.handle(chat, text);
  return { services, clock, say };
}

describe('confirmations', () => {
  it('a grid preview asks to confirm, and confirm starts exactly the previewed grid', async () => {
    const { services, say } = setup();
    const preview = await say('/grid BTCUSDT 2 0.5 25');
    expect(preview.buttons).toEqual([
      { label: 'Confirm', action: 'confirm' },
      { label: 'Cancel', action: 'cancel' },
    ]);
    expect(services.calls).toEqual(['previewGrid']);
    const done = await say('confirm');
    expect(done.text).toBe(
      '✅ Grid G3 started on BTCUSDT: placing 4 orders.\nFills are reported here; /grids shows progress, /stop G3 stops it.',
    );
    expect(done.buttons).toBeUndefined();
    expect(services.started).toHaveLength(1);
    expect(services.started[0]?.params).toEqual(services.previews[0]);
  });

  it.each(['confirm', '/confirm', 'yes', 'YES', ' Confirm '])('"%s" confirms', async (word) => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    await say(word);
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it.each(['cancel', '/cancel', 'no'])('"%s" drops the pending action', async (word) => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    expect((await say(word)).text).toBe('Cancelled. Nothing was done for /grid.');
    expect((await say('confirm')).text).toBe('That /grid was cancelled; send /grid again if you want it.');
    expect(services.calls).toEqual(['previewGrid']);
  });

  it('expires after 60 s of clock time', async () => {
    const { services, clock, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    clock.advance(60_000);
    expect((await say('confirm')).text).toBe('That confirmation expired after 60 s; send /grid again.');
    expect((await say('cancel')).text).toBe('Nothing to cancel: that /grid confirmation had already expired after 60 s.');
    expect(services.calls).toEqual(['previewGrid']);
  });

  it('is still valid just before 60 s', async () => {
    const { services, clock, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    clock.advance(59_999);
    await say('yes');
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('runs once: a second confirm says it was used', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    const [first, second] = await Promise.all([say('confirm'), say('confirm')]);
    expect(first.text).toContain('✅ Grid G3 started');
    expect(second.text).toBe('That confirmation was already used; send /grid again to do it once more.');
    expect((await say('cancel')).text).toBe('Nothing to cancel: that /grid confirmation was already used.');
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('with nothing pending, confirm and cancel say so', async () => {
    const { say } = setup();
    expect((await say('confirm')).text).toMatch(/^Nothing to confirm\./);
    expect((await say('no')).text).toBe('Nothing to cancel.');
  });

  it('a new confirmable command replaces the pending one', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    const second = await say('/grid ETHUSDT 3 1');
    expect(second.text).toMatch(/\(This replaces the pending \/grid\.\)$/);
    await say('confirm');
    expect(services.started.map((p) => p.params.symbol)).toEqual(['ETHUSDT']);
  });

  it('a mistyped confirmable command drops the pending one, so a later confirm cannot start it', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    const bad = await say('/grid ETHUSDT ten 1');
    expect(bad.text).toMatch(/\(The pending \/grid was dropped; nothing was done for it\.\)$/);
    expect((await say('confirm')).text).toMatch(/^Nothing to confirm\./);
    expect(services.calls).toEqual(['previewGrid']);
  });

  it('a failed preview drops the pending one and offers nothing to confirm', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    services.previewFailure = { ok: false, error: { code: 'NO_MARKET_DATA', message: 'No price for ETHUSDT yet.' } };
    const failed = await say('/grid ETHUSDT 2 0.5');
    expect(failed.text).toBe('✗ No price for ETHUSDT yet.\n(The pending /grid was dropped; nothing was done for it.)');
    expect(failed.buttons).toBeUndefined();
    expect((await say('confirm')).text).toMatch(/^Nothing to confirm\./);
  });

  it('read-only commands in between leave the pending action alone', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5');
    await say('/balance');
    await say('/grids');
    await say('confirm');
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('each chat has its own pending action', async () => {
    const { services, say } = setup();
    await say('/grid BTCUSDT 2 0.5', 'alice');
    expect((await say('confirm', 'bob')).text).toMatch(/^Nothing to confirm\./);
    await say('confirm', 'alice');
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('/stop asks first and stops on confirm; a stopped grid cannot be stopped again', async () => {
    const { services, say } = setup();
    const ask = await say('/stop g1');
    expect(ask.text).toBe(
      '⏹ Stop grid G1 on BTCUSDT? Its 20 open orders will be cancelled; anything already bought or sold stays as it is.',
    );
    expect(services.calls).toEqual([]);
    expect((await say('confirm')).text).toBe('⏹ Grid G1 stopped; 20 orders cancelled.');
    expect(services.stopped).toEqual(['G1']);
    expect((await say('/stop G2')).text).toBe('✗ Grid G2 is already stopped.');
  });

  it('/kill asks first, then acknowledges the halt', async () => {
    const { services, say } = setup();
    const ask = await say('/kill');
    expect(ask.text).toContain('Kill switch: trading will be HALTED');
    expect(ask.text).toContain('every open bot order (3) cancelled and every running grid (1) stopped');
    expect(services.calls).toEqual([]);
    const ack = await say('confirm');
    expect(ack.text).toBe(
      ['🛑 Kill switch: trading HALTED.', 'Cancelling 3 bot orders on 1 symbol.', 'The receipt follows within 10 s.'].join('\n'),
    );
    expect(ack.urgent).toBe(true);
    expect((await say('/resume')).text).toBe('▶️ Trading resumed: HALTED → ACTIVE. Start new grids with /grid.');
    expect((await say('/resume')).text).toBe('✗ Trading is not halted.');
  });

  it('a bug in a confirmed action is reported, logged, and does not run twice', async () => {
    const services = new FakeServices();
    services.kill = async () => {
      throw new Error('boom');
    };
    const errors: unknown[] = [];
    const dispatcher = new Dispatcher({ services, clock: new ManualClock(0), onError: (e) => errors.push(e) });
    await dispatcher.handle('c', '/kill');
    const reply = await dispatcher.handle('c', 'confirm');
    expect(reply.text).toMatch(/^✗ Something went wrong running the confirmed \/kill\. It was logged\./);
    expect(errors).toHaveLength(1);
    expect((await dispatcher.handle('c', 'confirm')).text).toMatch(/already used/);
  });

  it('honours a custom time to live', async () => {
    const services = new FakeServices();
    const clock = new ManualClock(0);
    const dispatcher = new Dispatcher({ services, clock, confirmTtlMs: 10_000 });
    await dispatcher.handle('c', '/kill');
    clock.advance(10_000);
    expect((await dispatcher.handle('c', 'yes')).text).toBe('That confirmation expired after 10 s; send /kill again.');
  });
});
