import { describe, expect, it } from 'vitest';
import { Dispatcher } from '../../src/chat/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from './fake-services.js';

function setup() {
  const services = new FakeServices();
  const dispatcher = new Dispatcher({ services, clock: new ManualClock(0) });
  const say = async (text: string) => (await dispatcher.handle('chat-1', text)).text;
  return { services, say };
}

describe('/limits', () => {
  it('shows each exchange limit against what the bot used and what the exchange counts, the 429s and the queues', async () => {
    const { services, say } = setup();
    const text = await say('/limits');
    expect(services.calls).toEqual(['limits']);
    expect(text).toMatch(/weight 1m\s+42 \/ 6000\s+0\.7 %\s+exchange counts 45/);
    expect(text).toMatch(/orders 10s\s+3 \/ 100\s+3\.0 %/);
    expect(text).toContain("(the exchange's counts are from its answer 2.0 s ago)");
    expect(text).toContain('Exchange 429/418 answers: 1, last 5m 00s ago');
    expect(text).toContain('Order queues: orders-place 2 waiting, 1 running · orders-cancel 0 waiting, 0 running');
    expect(text).toContain('Oldest queued job: 4.0 s (orders-place)');
    expect(text).not.toContain('Outbox');
  });

  it('adds the outbox when there is one, a pause after a 429, and what could not be read', async () => {
    const { services, say } = setup();
    services.limitsView = {
      ...services.limitsView,
      pausedForMs: 12_000,
      queues: [],
      outbox: { depth: { urgent: 1, routine: 4 }, oldestAgeMs: 65_000, dropped: 2, last429AgoMs: 3_000 },
      unavailable: ['the order queues could not be read: no answer within 1000 ms'],
    };
    const text = await say('/limits');
    expect(text).toContain('requests held back for another 12.0 s');
    expect(text).toContain('Oldest queued job: none');
    expect(text).toContain('Outbox: 5 waiting (urgent 1, routine 4), oldest 1m 05s · dropped 2');
    expect(text).toContain('Telegram 429: last 3.0 s ago');
    expect(text).toContain('⚠️ the order queues could not be read: no answer within 1000 ms');
  });
});
