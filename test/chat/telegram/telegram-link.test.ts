import { afterEach, describe, expect, it } from 'vitest';
import type { FaultHandle } from '../../kit/fake-telegram/index.js';
import { until } from '../../kit/until.js';
import { type Rig, alice, aliceDm, desk, startRig } from './harness.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Short deadlines and backoff, so a test sees several of each. */
const QUICK = { pollTimeoutSeconds: 1, requestTimeoutSeconds: 0.5, retryDelayMs: { first: 5, max: 20 } } as const;

const polls = (r: Rig) => r.fake.requests().filter((q) => q.method === 'getUpdates');

describe('Telegram link: polling survives what Telegram does', () => {
  it('a hung getUpdates is abandoned at its deadline, and /kill now sent meanwhile still acts', async () => {
    rig = await startRig(QUICK, (fake) => {
      fake.hang({ method: 'getUpdates' });
    });
    const { fake, services } = rig;
    await until(() => polls(rig!).length === 1);
    fake.userSends(aliceDm, alice, '/kill now'); // waits while the poll hangs
    const [ack] = await rig.botMessages(aliceDm.id, 1);
    expect(ack!.text).toMatch(/^🛑 Kill switch: trading HALTED/);
    expect(services.kills).toEqual([{ flatten: false }]);
    // the hung poll was given up (499: the client closed it) and a fresh one fetched the command
    const [hung, next] = polls(rig);
    expect(hung!.status).toBe(499);
    expect(next!.status).toBe(200);
    expect(rig.transport.linkState().polling).toBe('ok');
  });

  it('keeps polling through a 409 Conflict, and says so in every allowed chat once it has stayed clear', async () => {
    const conflict = 'Conflict: terminated by other getUpdates request';
    rig = await startRig(QUICK, (fake) => {
      fake.addChat(aliceDm, undefined, alice);
      fake.addChat(desk);
      fake.failWith({ method: 'getUpdates', count: 2 }, 409, conflict);
    });
    const { fake, logs } = rig;
    // two instances taking turns: some polls get through between the conflicts
    await until(() => polls(rig!).some((p) => p.status === 200));
    fake.failWith({ method: 'getUpdates', count: 2 }, 409, conflict);
    await until(() => polls(rig!).filter((p) => p.status === 409).length === 4);
    fake.userSends(aliceDm, alice, '/status'); // answered during the conflict too
    await rig.botMessages(aliceDm.id, 1);
    expect(rig.transport.linkState()).toMatchObject({
      polling: 'conflict',
      lastError: '409 Conflict: terminated by other getUpdates request',
    });
    expect(fake.messages(desk.id)).toEqual([]); // not cleared while 409s keep coming
    rig.clock.now += 2_000; // a quiet spell of two poll timeouts
    const [cleared] = await rig.botMessages(desk.id, 1);
    expect(cleared!.text).toMatch(
      /^✅ I read commands again\. For .* another program was polling this bot's token \(Telegram's 409 Conflict\)/,
    );
    expect((await rig.botMessages(aliceDm.id, 2))[1]!.text).toBe(cleared!.text);
    expect(logs.filter((l) => l.msg.includes('another instance is polling'))).toHaveLength(1); // one line per episode
    expect(rig.transport.linkState()).toMatchObject({ mode: 'polling', polling: 'ok' });
  });

  it('reports a refused token (401) through onFatal once and stops polling', async () => {
    const fatal: string[] = [];
    rig = await startRig({ ...QUICK, onFatal: (reason) => fatal.push(reason) }, (fake) => {
      fake.failWith({ method: 'getUpdates', count: Infinity }, 401, 'Unauthorized');
    });
    await until(() => fatal.length === 1);
    expect(fatal[0]).toContain('401 Unauthorized');
    expect(rig.transport.linkState()).toMatchObject({ polling: 'fatal', lastError: '401 Unauthorized' });
    await rig.transport.stop();
    expect(polls(rig).map((p) => p.status)).toEqual([401]); // never polled again, and no confirming call with a dead token
    expect(fatal).toHaveLength(1);
  });

  it('says it is deaf once after the bound without a successful poll, and hearing again when polling works', async () => {
    const events: string[] = [];
    let outage: FaultHandle | undefined;
    rig = await startRig(
      { ...QUICK, deafHaltSeconds: 120, onDeaf: (since) => events.push(`deaf since ${since}`), onHearing: () => events.push('hearing') },
      (fake) => {
        outage = fake.failWith({ method: 'getUpdates', count: Infinity }, 502, 'Bad Gateway');
      },
    );
    const started = rig.clock.now;
    const { fake } = rig;
    await until(() => polls(rig!).length >= 3);
    expect(rig.transport.linkState()).toMatchObject({ polling: 'retrying', lastError: '502 Bad Gateway', deaf: false });
    expect(events).toEqual([]);
    rig.clock.now += 120_000;
    await until(() => events.length === 1);
    expect(events).toEqual([`deaf since ${started}`]);
    const failed = polls(rig).length;
    await until(() => polls(rig!).length >= failed + 3); // still retrying, and told only once
    expect(events).toHaveLength(1);
    expect(rig.transport.linkState().deaf).toBe(true);

    outage!.clear(); // Telegram answers again
    fake.userSends(aliceDm, alice, '/status');
    await rig.botMessages(aliceDm.id, 1);
    expect(events).toEqual([`deaf since ${started}`, 'hearing']);
    expect(rig.transport.linkState()).toMatchObject({ polling: 'ok', deaf: false, lastPollOkAt: rig.clock.now });
  });

  it('rides out cut connections, a 429 (honouring retry_after) and a 5xx', async () => {
    rig = await startRig(QUICK, (fake) => {
      fake.drop({ method: 'getUpdates', count: 2 });
      fake.failWith({ method: 'getUpdates' }, 429, 'Too Many Requests: retry after 1', 1);
      fake.failWith({ method: 'getUpdates' }, 500, 'Internal Server Error');
    });
    rig.fake.userSends(aliceDm, alice, '/status');
    await rig.botMessages(aliceDm.id, 1);
    expect(
      polls(rig)
        .map((p) => p.status)
        .slice(0, 5),
    ).toEqual([-1, -1, 429, 500, 200]);
    expect(rig.transport.linkState().polling).toBe('ok');
  });
});
