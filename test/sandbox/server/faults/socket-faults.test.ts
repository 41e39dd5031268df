import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_KEY, type Harness, startHarness } from '../rest/harness.js';
import { type Inbox, connect, sign } from '../ws/harness.js';
import { type Client, LIMIT_BUY, admin, binanceClient, until } from './support.js';

let h: Harness;
let client: Client;
const open: Inbox[] = [];

beforeEach(async () => {
  h = await startHarness();
  client = binanceClient(h);
  h.trade('50000.00');
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await h.close();
});

async function market(): Promise<Inbox> {
  const c = await connect(`${h.server.wsBase}/btcusdt@trade`);
  open.push(c);
  return c;
}

/** A WS API connection subscribed to the user data stream, as binance-api-node subscribes. */
async function userStream(): Promise<Inbox> {
  const c = await connect(h.server.wsApi);
  open.push(c);
  const ts = h.clock.now;
  const answer = await c.ask({
    id: 1,
    method: 'userDataStream.subscribe.signature',
    params: { apiKey: API_KEY, timestamp: ts, signature: sign(`apiKey=${API_KEY}&timestamp=${ts}`) },
  });
  expect(answer.status).toBe(200);
  return c;
}

describe('WebSocket faults', () => {
  it('dropSockets on market streams terminates them and leaves the user stream open', async () => {
    const m = await market();
    const u = await userStream();
    expect(h.server.faults.status().sockets).toMatchObject({ market: 1, user: 1 });
    expect(h.server.faults.arm({ kind: 'dropSockets', target: 'market' }).ok).toBe(true);
    // 1006: closed without a close frame, as a network drop looks to the client.
    expect(await m.closed).toBe(1006);
    expect(u.socket.readyState).toBe(u.socket.OPEN);
    await until(() => h.server.faults.status().sockets.market === 0);
    expect(h.server.faults.status().fired).toEqual([{ id: 1, kind: 'dropSockets', sockets: 1, at: h.clock.now }]);
  });

  it('dropSockets through the admin endpoint drops every connection by default', async () => {
    const m = await market();
    const u = await userStream();
    expect((await admin(h, 'POST', { kind: 'dropSockets' })).status).toBe(200);
    expect(await Promise.all([m.closed, u.closed])).toEqual([1006, 1006]);
  });

  it('freezeSockets silences a connection without closing it; what is sent meanwhile is lost', async () => {
    const m = await market();
    h.server.faults.arm({ kind: 'freezeSockets', target: 'market', ms: 50 });
    expect(h.server.faults.status().sockets.frozen).toBe(1);
    h.trade('50001.00');
    await until(() => h.server.faults.status().sockets.frozen === 0);
    expect(m.socket.readyState).toBe(m.socket.OPEN);
    h.trade('50002.00');
    expect((await m.next()).p).toBe('50002.00000000');
  });

  it('clearing the plan thaws frozen sockets at once', async () => {
    const m = await market();
    h.server.faults.arm({ kind: 'freezeSockets', ms: 60_000 });
    h.trade('50001.00');
    h.server.faults.clear();
    h.trade('50003.00');
    expect((await m.next()).p).toBe('50003.00000000');
  });

  it('pauseUserStream holds user data events, then delivers them in order', async () => {
    const u = await userStream();
    // Paused for longer than any machine takes to place two orders, then released by hand: the outcome does not depend on
    // how fast the machine is (a 50 ms pause failed on a busy one, the orders landing after it had ended).
    h.server.faults.arm({ kind: 'pauseUserStream', ms: 60_000 });
    await client.order({ ...LIMIT_BUY, newClientOrderId: 'p1' });
    await client.order({ ...LIMIT_BUY, price: '48000', newClientOrderId: 'p2' });
    const held = h.server.faults.status().sockets.heldUserEvents;
    expect(held).toBeGreaterThanOrEqual(2);
    expect(h.server.faults.status().sockets.userStreamPaused).toBe(true);
    h.server.faults.clear();
    const events = [];
    for (let i = 0; i < held; i++) events.push((await u.next()).event);
    const reports = events.filter((e) => e.e === 'executionReport').map((e) => e.c);
    expect(reports).toEqual(['p1', 'p2']);
    // Execution ids stay in delivery order, and the stream flows normally after the pause.
    const ids = events.filter((e) => e.e === 'executionReport').map((e) => e.I);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(h.server.faults.status().sockets).toMatchObject({ userStreamPaused: false, heldUserEvents: 0 });
    await client.order({ ...LIMIT_BUY, price: '47000', newClientOrderId: 'p3' });
    const next = [(await u.next()).event, (await u.next()).event];
    expect(next.find((e) => e.e === 'executionReport')?.c).toBe('p3');
  });

  it('freezeSockets on the user stream loses events sent meanwhile', async () => {
    const u = await userStream();
    h.server.faults.arm({ kind: 'freezeSockets', target: 'user', ms: 60_000 });
    await client.order({ ...LIMIT_BUY, newClientOrderId: 'lost' });
    h.server.faults.clear();
    await client.order({ ...LIMIT_BUY, price: '48000', newClientOrderId: 'seen' });
    const first = (await u.next()).event;
    const second = (await u.next()).event;
    expect([first, second].find((e) => e.e === 'executionReport')?.c).toBe('seen');
  });
});
