import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ChatSession, ConsoleTransport, Dispatcher, type Reply } from '../../src/chat/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

function streams() {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.setEncoding('utf8');
  output.on('data', (chunk: string) => (text += chunk));
  return { input, output, out: () => text };
}

/** A session whose replies the test releases one at a time, so interleavings are chosen, not timed. */
function heldSession() {
  const calls: Array<{ chatId: string; text: string; release: (r: Reply) => void }> = [];
  let arrived: () => void = () => {};
  const session: ChatSession = {
    handle: (chatId, text) =>
      new Promise<Reply>((release) => {
        calls.push({ chatId, text, release });
        arrived();
      }),
  };
  const nextCall = () => new Promise<void>((resolve) => (arrived = resolve));
  return { session, calls, nextCall };
}

describe('console transport', () => {
  it('sends each line to the dispatcher and prints replies in order, end to end', async () => {
    const { input, output, out } = streams();
    const services = new FakeServices();
    const session = new Dispatcher({ services, clock: new ManualClock(0) });
    const transport = new ConsoleTransport({ session, input, output, prompt: '> ' });
    input.end('/balance\n\n/grid BTCUSDT 1 0.5\nconfirm\n');
    expect(await transport.closed).toBe('end');
    const text = out();
    expect(
      text.startsWith('> Balances:\n  USDT  free 750.50   locked 249.50\n  BTC   free 0.00250  locked 0.00260\n> > 📐 Grid preview'),
    ).toBe(true);
    expect(text).toContain('Confirm to place 2 orders (after a market buy of 0.0002 BTC).\nType confirm or cancel.\n> ');
    expect(text).toContain('✅ Grid G3 started on BTCUSDT');
    expect(text.indexOf('Balances:')).toBeLessThan(text.indexOf('Grid preview'));
    expect(text.indexOf('Grid preview')).toBeLessThan(text.indexOf('✅ Grid G3'));
    expect(services.calls).toEqual(['previewGrid', 'startGrid']);
  });

  it('uses the chat id "console" and skips empty lines', async () => {
    const { input, output } = streams();
    const { session, calls, nextCall } = heldSession();
    const transport = new ConsoleTransport({ session, input, output });
    const arrived = nextCall();
    input.write('\n   \n/pnl\n');
    await arrived;
    expect(calls.map((c) => [c.chatId, c.text])).toEqual([['console', '/pnl']]);
    calls[0]!.release({ text: 'ok' });
    transport.close();
    expect(await transport.closed).toBe('closed');
  });

  it('/quit stops reading; later lines are not handled', async () => {
    const { input, output, out } = streams();
    const services = new FakeServices();
    const transport = new ConsoleTransport({
      session: new Dispatcher({ services, clock: new ManualClock(0) }),
      input,
      output,
      prompt: '> ',
    });
    input.write('/pnl\n/quit\n/kill\nconfirm\n');
    expect(await transport.closed).toBe('quit');
    expect(out()).toContain('Profit and loss (USDT):');
    expect(out()).not.toContain('Kill switch');
    expect(services.calls).toEqual([]);
  });

  it('notify prints on its own line when idle and puts the prompt back', async () => {
    const { input, output, out } = streams();
    const { session } = heldSession();
    const transport = new ConsoleTransport({ session, input, output, prompt: '> ' });
    transport.notify('✅ Filled BUY 0.00105 BTCUSDT @ 94525.00 (fee 0.00000105 BTC) · grid G1');
    expect(out()).toBe('> \n✅ Filled BUY 0.00105 BTCUSDT @ 94525.00 (fee 0.00000105 BTC) · grid G1\n> ');
    transport.close();
    await transport.closed;
  });

  it('a notification during a command prints before the reply and the prompt comes back once', async () => {
    const { input, output, out } = streams();
    const { session, calls, nextCall } = heldSession();
    const transport = new ConsoleTransport({ session, input, output, prompt: '> ' });
    const arrived = nextCall();
    input.write('/grid BTCUSDT 1 0.5\n');
    await arrived;
    transport.notify('💰 Grid G1 round trip +0.42 USDT');
    calls[0]!.release({
      text: 'preview',
      buttons: [
        { label: 'Confirm', action: 'confirm' },
        { label: 'Cancel', action: 'cancel' },
      ],
    });
    input.end();
    await transport.closed;
    expect(out()).toBe('> 💰 Grid G1 round trip +0.42 USDT\npreview\nType confirm or cancel.\n> ');
  });

  it('answers a line that came in before input ended, then resolves', async () => {
    const { input, output, out } = streams();
    const { session, calls, nextCall } = heldSession();
    const transport = new ConsoleTransport({ session, input, output, prompt: '> ' });
    const arrived = nextCall();
    input.end('/status\n');
    await arrived;
    if (!input.readableEnded) await once(input, 'end');
    let done = false;
    void transport.closed.then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    calls[0]!.release({ text: 'Mode: paper' });
    expect(await transport.closed).toBe('end');
    expect(out()).toBe('> Mode: paper\n');
  });

  it('keeps going when the session throws', async () => {
    const { input, output, out } = streams();
    const session: ChatSession = {
      handle: async (_chat, text) => {
        if (text === '/boom') throw new Error('bug');
        return { text: `echo ${text}` };
      },
    };
    const transport = new ConsoleTransport({ session, input, output, prompt: '> ' });
    input.end('/boom\n/ok\n');
    await transport.closed;
    expect(out()).toBe('> ✗ Something went wrong; the console keeps going.\n> echo /ok\n> ');
  });

  it('Ctrl-C on a terminal closes with "interrupt"', async () => {
    const { input, output } = streams();
    const { session } = heldSession();
    const transport = new ConsoleTransport({ session, input, output, terminal: true });
    input.write('\x03');
    expect(await transport.closed).toBe('interrupt');
  });

  it('on a terminal, notify clears the prompt line and redraws what was being typed', async () => {
    const { input, output, out } = streams();
    const { session } = heldSession();
    const transport = new ConsoleTransport({ session, input, output, terminal: true, prompt: '> ' });
    input.write('/gri');
    await new Promise<void>((resolve) => setImmediate(resolve));
    const before = out().length;
    transport.notify('⏹ Grid G1 on BTCUSDT stopped: by you.');
    const drawn = out().slice(before);
    expect(drawn).toContain('⏹ Grid G1 on BTCUSDT stopped: by you.\n');
    // The prompt and the half-typed command are drawn again below the notification.
    expect(drawn.slice(drawn.indexOf('stopped: by you.\n'))).toContain('> /gri');
    transport.close();
    expect(await transport.closed).toBe('closed');
  });
});
