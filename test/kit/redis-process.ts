/** A private redis-server process a test can kill and restart, for Redis outage tests (the shared Redis is test/kit/redis.ts). */
import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { closedPort } from './redis.js';

/**
 * A redis-server of a test's own on a free loopback port, keeping nothing on disk, that the test can kill and start
 * again on the same port (a Redis restart that loses everything, the worst case).
 */
export async function privateRedis() {
  const port = await closedPort();
  let proc: ChildProcess | undefined;
  const url = `redis://127.0.0.1:${port}`;

  async function start(): Promise<void> {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    probe.on('error', () => undefined);
    for (let i = 0; i < 200; i++) {
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') break;
      } catch {
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    probe.disconnect();
  }

  /** SIGKILL: no goodbye to the clients, nothing saved. */
  async function kill(): Promise<void> {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((resolve) => p.once('exit', resolve));
    p.kill('SIGKILL');
    await exited;
  }

  await start();
  return { url, port, start, kill };
}
