import { spawn } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type LeaseHolder,
  PrefixLease,
  type PrefixLeaseOptions,
  accountId,
  fingerprintKey,
  fingerprintMismatch,
  leaseKey,
  readOwner,
} from '../../src/app/prefix-lease.js';
import { REDIS_URL, deleteKeys, uniquePrefix } from '../kit/redis.js';

const silent = { warn: () => undefined, error: () => undefined };
const prefixes: string[] = [];
const leases: PrefixLease[] = [];
let redis: Redis | undefined;

afterEach(async () => {
  for (const l of leases.splice(0)) await l.release();
  await redis?.quit();
  redis = undefined;
  for (const p of prefixes.splice(0)) await deleteKeys(p);
});

function options(o: Partial<PrefixLeaseOptions> = {}): PrefixLeaseOptions {
  const prefix = o.prefix ?? uniquePrefix();
  if (!prefixes.includes(prefix)) prefixes.push(prefix);
  return { redisUrl: REDIS_URL, prefix, mode: 'paper', exchange: 'http://127.0.0.1:8181', leaseMs: 2_000, log: silent, ...o };
}

async function acquire(o: PrefixLeaseOptions) {
  const got = await PrefixLease.acquire(o);
  if (got.ok) leases.push(got.value);
  return got;
}

function client(): Redis {
  redis ??= new Redis(REDIS_URL);
  return redis;
}

async function until(done: () => boolean | Promise<boolean>, boundMs: number): Promise<void> {
  const end = Date.now() + boundMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A holder record as another process would write it. */
function foreign(o: Partial<LeaseHolder>): LeaseHolder {
  return {
    version: 1,
    token: 'someone-else',
    host: 'elsewhere',
    pid: 4242,
    mode: 'live',
    exchange: 'https://api.binance.com',
    startedAt: Date.now(),
    heartbeatAt: Date.now(),
    leaseMs: 20_000,
    ...o,
  };
}

describe('the prefix lease', () => {
  it('refuses a second holder, naming the first and the fix; free again once released', async () => {
    const o = options();
    const first = await acquire(o);
    expect(first.ok).toBe(true);
    const second = await PrefixLease.acquire({ ...o, mode: 'paper', exchange: 'somewhere else' });
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.code).toBe('PREFIX_TAKEN');
    expect(second.error.message).toContain(`KEY_PREFIX "${o.prefix}"`);
    expect(second.error.message).toContain(`host ${hostname()}, pid ${process.pid}, paper on http://127.0.0.1:8181`);
    expect(second.error.message).toMatch(/last heartbeat \d+ s ago/);
    expect(second.error.message).toMatch(/KEY_PREFIX of its own .*another Redis database.*or stop that bot first/);
    expect(second.error.message).toMatch(/lapses 2 s after its last heartbeat/);

    if (first.ok) await first.value.release();
    expect(await client().get(leaseKey(o.prefix))).toBeNull();
    expect((await acquire(o)).ok).toBe(true);
  });

  it('a bot starting while the holder is stopping waits for the prefix instead of refusing', async () => {
    const o = options();
    const first = await acquire(o);
    if (!first.ok) throw new Error(first.error.message);
    await first.value.stopping();
    expect((await readOwner(client(), o.prefix))?.holder.stopping).toBe(true);
    const second = PrefixLease.acquire(o);
    let settled = false;
    void second.then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(settled).toBe(false);
    await first.value.release();
    const got = await second;
    if (got.ok) leases.push(got.value);
    expect(got.ok).toBe(true);
    expect((await readOwner(client(), o.prefix))?.holder.token).toBe(got.ok ? got.value.token : undefined);
  });

  it('stays held across many lease lengths while its heartbeat runs', async () => {
    const o = options({ leaseMs: 1_000 });
    const first = await acquire(o);
    expect(first.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 2_600));
    expect((await PrefixLease.acquire(o)).ok).toBe(false);
    const owner = await readOwner(client(), o.prefix);
    expect(owner?.holder.pid).toBe(process.pid);
    expect(owner!.heartbeatAgeMs).toBeLessThan(1_000);
  });

  it('lapses on its own when the holder stops renewing (a crash elsewhere), and can then be taken', async () => {
    const o = options({ leaseMs: 1_000 });
    await client().set(leaseKey(o.prefix), JSON.stringify(foreign({ leaseMs: 1_000 })), 'PX', 1_000);
    expect((await PrefixLease.acquire(o)).ok).toBe(false);
    await until(async () => (await client().exists(leaseKey(o.prefix))) === 0, 5_000);
    expect((await acquire(o)).ok).toBe(true);
  });

  it('takes over at once from a holder that died on this host, but not from a live one', async () => {
    let pidns: string | undefined;
    try {
      pidns = readlinkSync('/proc/self/ns/pid');
    } catch {
      return; // not Linux: only lapsing frees a lease there
    }
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => dead.on('exit', r));
    const o = options();
    await client().set(leaseKey(o.prefix), JSON.stringify(foreign({ host: hostname(), pidns, pid: dead.pid! })), 'PX', 20_000);
    const got = await acquire(o);
    expect(got.ok).toBe(true);
    expect((await readOwner(client(), o.prefix))?.holder.pid).toBe(process.pid);

    const o2 = options();
    await client().set(leaseKey(o2.prefix), JSON.stringify(foreign({ host: hostname(), pidns, pid: process.ppid })), 'PX', 20_000);
    expect((await PrefixLease.acquire(o2)).ok).toBe(false);
  });

  it('tells when another holder has taken it, and then neither renews nor deletes the other’s lease', async () => {
    const o = options({ leaseMs: 1_000 });
    const got = await acquire(o);
    if (!got.ok) throw new Error(got.error.message);
    const lost: string[] = [];
    got.value.onLost((_owner, text) => lost.push(text));
    const intruder = JSON.stringify(foreign({ host: 'box-2', pid: 77 }));
    await client().set(leaseKey(o.prefix), intruder, 'PX', 20_000);
    await until(() => lost.length === 1, 5_000);
    expect(got.value.lost).toBe(true);
    expect(lost[0]).toMatch(/took KEY_PREFIX .*host box-2, pid 77, live on https:\/\/api\.binance\.com/);
    await got.value.release();
    await new Promise((r) => setTimeout(r, 600));
    expect(await client().get(leaseKey(o.prefix))).toBe(intruder);
    // A listener added after the loss hears it too (the app subscribes once its start is done).
    const late: string[] = [];
    got.value.onLost((_owner, text) => late.push(text));
    expect(late).toHaveLength(1);
  });

  it('takes its lease again when Redis lost it (restarted empty) and nobody else has it', async () => {
    const o = options();
    const got = await acquire(o);
    if (!got.ok) throw new Error(got.error.message);
    await client().del(leaseKey(o.prefix));
    await got.value.renew();
    expect((await readOwner(client(), o.prefix))?.holder.token).toBe(got.value.token);
    expect(got.value.lost).toBe(false);
  });

  it('writes a fingerprint with a hash of the API key, never the key, tied to its lease', async () => {
    const o = options();
    const got = await acquire(o);
    if (!got.ok) throw new Error(got.error.message);
    const apiKey = 'a-very-secret-api-key-0123456789';
    await got.value.describe({ httpBase: 'http://127.0.0.1:9191', apiKey, embedded: false });
    const stored = (await client().get(fingerprintKey(o.prefix)))!;
    expect(stored).not.toContain(apiKey);
    const owner = await readOwner(client(), o.prefix);
    expect(owner?.holder.exchange).toBe('http://127.0.0.1:9191');
    expect(owner?.fingerprint).toMatchObject({
      token: got.value.token,
      mode: 'paper',
      exchange: 'http://127.0.0.1:9191',
      account: accountId(apiKey),
    });
    expect(accountId(apiKey)).toMatch(/^sha256:[0-9a-f]{16}$/);

    const fp = owner!.fingerprint!;
    expect(fingerprintMismatch(fp, { mode: 'paper', exchange: 'http://127.0.0.1:9191/', apiKey })).toBeUndefined();
    expect(fingerprintMismatch(fp, { mode: 'paper', exchange: 'http://127.0.0.1:9292', apiKey })).toMatch(
      /trades on http:\/\/127\.0\.0\.1:9191, this worker on http:\/\/127\.0\.0\.1:9292/,
    );
    expect(fingerprintMismatch(fp, { mode: 'paper', exchange: 'http://127.0.0.1:9191', apiKey: 'another-key-0123456789' })).toMatch(
      /API key/,
    );
    expect(fingerprintMismatch(fp, { mode: 'testnet', exchange: 'http://127.0.0.1:9191', apiKey })).toMatch(
      /paper mode, this worker is set for testnet/,
    );

    // It lapses with the lease and goes with it at release; one left by another holder says nothing about this one.
    expect(await client().pttl(fingerprintKey(o.prefix))).toBeGreaterThan(0);
    await got.value.release();
    expect(await client().exists(leaseKey(o.prefix), fingerprintKey(o.prefix))).toBe(0);
    await client().set(fingerprintKey(o.prefix), stored.replace(got.value.token, 'a-previous-holder'));
    const next = await acquire(o);
    expect(next.ok).toBe(true);
    expect((await readOwner(client(), o.prefix))?.fingerprint).toBeUndefined();
  });
});
