import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { FaultPlan } from '../../../../src/sandbox/index.js';

/**
 * A frozen socket models a half-open connection: no frame at all reaches the client, the heartbeat's pings included,
 * so a client's dead-socket rule (telegrid's feed: no frame for MARKET_DEAD_AFTER_SECONDS) can see it (issue 9).
 */
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function pair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => new Promise<void>((resolve) => wss.close(() => resolve())));
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  cleanups.push(() => client.terminate());
  await new Promise<void>((resolve) => client.once('open', () => resolve()));
  return { server: await accepted, client };
}

describe('freezeSockets', () => {
  it('silences pings too while frozen, and pings reach the client again once thawed', async () => {
    const faults = new FaultPlan({ now: () => 0 });
    cleanups.push(() => faults.close());
    const { server, client } = await pair();
    faults.trackSocket(server, 'market');
    const heard: string[] = [];
    client.on('ping', (data) => heard.push(`ping ${data.toString()}`));
    client.on('message', (data) => heard.push(`message ${data.toString()}`));

    expect(faults.arm({ kind: 'freezeSockets', target: 'market', ms: 60_000 }).ok).toBe(true);
    server.ping('frozen');
    server.send('frozen');
    faults.clear();
    server.ping('thawed');
    server.send('thawed'); // frames arrive in order: once this is heard, anything sent before it would have been
    await new Promise<void>((resolve) => client.once('message', () => resolve()));
    expect(heard).toEqual(['ping thawed', 'message thawed']);
  });
});
