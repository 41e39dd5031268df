import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/sandbox/index.js';
import { deleteKeys, uniquePrefix } from '../kit/redis.js';
import { spawnTelegrid } from '../kit/telegrid-process.js';
const children: ChildProcessWithoutNullStreams[] = [];
// `telegrid sandbox` keeps nothing in Redis today; a prefix of its own keeps it that way should it start to.
const prefixes: string[] = [];
function prefix(): string {
  const p = uniquePrefix();
  prefixes.push(p);
  return p;
}

function sandbox(args: string[]) {
  const child = spawnTelegrid(['sandbox', ...args], { KEY_PREFIX: prefix() });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const printed = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => out.includes(text) && resolve();
      child.stdout.on('data', check);
      check();
    });
  return { child, exit, printed, out: () => out, err: () => err };
}

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

describe('telegrid sandbox', () => {
  it('serves Binance on a loopback port with the documented key, trades its tape, and stops on SIGTERM', async () => {
    const run = sandbox(['--port', '0', '--symbols', 'BTCUSDT', '--balances', 'USDT=2500,BTC=0.5']);
    await run.printed('Ctrl-C stops it.');
    const httpBase = /REST:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(run.out())?.[1];
    expect(httpBase).toBeDefined();
    expect(run.out()).toContain('API key:        telegrid-sandbox-key');

    const time = (await (await fetch(`${httpBase}/api/v3/time`)).json()) as { serverTime: number };
    expect(typeof time.serverTime).toBe('number');
    const price = (await (await fetch(`${httpBase}/api/v3/ticker/price?symbol=BTCUSDT`)).json()) as { symbol: string; price: string };
    expect(price.symbol).toBe('BTCUSDT');
    expect(Number(price.price)).toBeGreaterThan(0); // the synthetic tape traded at once

    const query = `timestamp=${Date.now()}`;
    const signed = `${query}&signature=${signPayload('telegrid-sandbox-secret', query)}`;
    const account = (await (
      await fetch(`${httpBase}/api/v3/account?${signed}`, { headers: { 'X-MBX-APIKEY': 'telegrid-sandbox-key' } })
    ).json()) as {
      balances: { asset: string; free: string }[];
    };
    expect(account.balances).toContainEqual({ asset: 'USDT', free: '2500.00000000', locked: '0.00000000' });

    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.out()).toContain('sandbox stopped');
  });

  it('names a bad flag and what it expects, and does not start', async () => {
    const run = sandbox(['--speed', '0', '--balances', 'USDT:5']);
    expect(await run.exit).toBe(2);
    expect(run.err()).toContain('--speed expects a number above 0');
    expect(run.err()).toContain('--balances');
    expect(run.err()).toContain('usage: telegrid sandbox');
  });
});
