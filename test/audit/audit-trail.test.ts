import { describe, expect, it, onTestFinished } from 'vitest';
import { connectRedis } from '../../src/app/redis-connection.js';
import { type AuditEntry, AuditTrail } from '../../src/audit/index.js';
import { Dispatcher } from '../../src/chat/index.js';
import { REDIS_KEYS } from '../../src/domain/index.js';
import { ManualClock } from '../../src/engine/index.js';
import { FakeServices } from '../chat/fake-services.js';
import { redisForEachTest } from '../kit/redis.js';
import { privateRedis } from '../kit/redis-process.js';
import { until } from '../kit/until.js';

const ctx = redisForEachTest();

function quietLog() {
  const lines: { level: string; obj: object; msg: string }[] = [];
  return {
    lines,
    warn: (obj: object, msg: string) => void lines.push({ level: 'warn', obj, msg }),
    info: (obj: object, msg: string) => void lines.push({ level: 'info', obj, msg }),
  };
}

const state = (n: number): AuditEntry => ({ kind: 'state', from: 'ACTIVE', to: 'HALTED', reason: `step ${n}` });

describe('the audit trail writer', () => {
  it('appends to a stream capped with MAXLEN ~, in order, stamped with the bot clock', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 4, 6));
    const trail = new AuditTrail({ redis: ctx.redis, prefix: ctx.prefix, maxEntries: 100, clock, secrets: [], log: quietLog() });
    for (let i = 0; i < 1_000; i++) trail.record(state(i));
    await trail.flush(30_000);
    const key = REDIS_KEYS.auditLog.key(ctx.prefix);
    const length = await ctx.redis.xlen(key);
    expect(length).toBeGreaterThanOrEqual(100);
    expect(length).toBeLessThan(1_000); // trimmed (approximately: whole radix-tree nodes at a time)
    const last = await trail.recent(3);
    if (!last.ok) throw new Error(last.error.message);
    expect(last.value.map((r) => (r.kind === 'state' ? r.reason : ''))).toEqual(['step 997', 'step 998', 'step 999']);
    expect(last.value[0]?.at).toBe('2026-12-04T06:00:00.000Z');
  });

  it("writes ids on the bot's clock, trims entries older than its age, and never writes an id below the stream's last", async () => {
    const day = 86_400_000;
    const clock = new ManualClock(Date.UTC(2024, 0, 1));
    const key = REDIS_KEYS.auditLog.key(ctx.prefix);
    // A later run left an entry ahead of this clock (a replay on a prefix used since): ids stay in order after it.
    const ahead = Date.UTC(2024, 0, 1, 1);
    await ctx.redis.xadd(key, `${ahead}-0`, 'entry', JSON.stringify({ ...state(0), at: new Date(ahead).toISOString() }));
    const trail = new AuditTrail({
      redis: ctx.redis,
      prefix: ctx.prefix,
      maxEntries: 100_000,
      maxAgeMs: day,
      clock,
      secrets: [],
      log: quietLog(),
    });
    trail.record(state(1));
    await trail.flush(30_000);
    // A replayed year, one entry a minute: the stream keeps about the last day of it (whole nodes of 100 at a time).
    for (let i = 2; i <= 5_000; i++) {
      clock.advance(60_000);
      trail.record(state(i));
    }
    await trail.flush(30_000);
    const rows = await ctx.redis.xrange(key, '-', '+');
    const ms = rows.map(([id]) => Number(id.split('-')[0]));
    expect(ms).toEqual([...ms].sort((a, b) => a - b));
    expect(rows.at(-1)![0]).toBe(`${clock.now()}-0`);
    expect(ms.filter((t) => t < clock.now() - day).length).toBeLessThan(100);
    expect(rows.length).toBeLessThan(24 * 60 + 100);
    expect(rows.length).toBeGreaterThanOrEqual(24 * 60);
  });

  it('never waits on Redis: while it is down, entries wait in a bounded buffer (oldest dropped, counted), then go out', async () => {
    const server = await privateRedis();
    onTestFinished(() => server.kill());
    const connected = await connectRedis(server.url);
    if (!connected.ok) throw new Error(connected.message);
    const redis = connected.redis;
    onTestFinished(() => redis.disconnect());
    const log = quietLog();
    const trail = new AuditTrail({ redis, prefix: 'p', maxEntries: 1_000, clock: new ManualClock(0), secrets: [], log, bufferLimit: 10 });

    await server.kill();
    await until(() => redis.status !== 'ready');
    // A command's reply never waits on the trail; /audit answers at once too, rather than hold the chat until Redis is back.
    const dispatcher = new Dispatcher({ services: new FakeServices(), clock: new ManualClock(0), audit: trail });
    expect((await dispatcher.handle('console', '/status')).text).toContain('Trading');
    expect((await dispatcher.handle('console', '/audit')).text).toBe('✗ Redis is unreachable; the audit trail cannot be read now');
    expect(await trail.recent(5)).toMatchObject({
      ok: false,
      error: { message: 'Redis is unreachable; the audit trail cannot be read now' },
    });
    for (let i = 1; i <= 50; i++) trail.record(state(i)); // returns at once each time: nothing here awaits Redis
    await server.start();
    await trail.flush(30_000);
    await until(() => log.lines.some((l) => l.msg === 'audit: the trail is written to Redis again'), 30_000);

    const rows = await redis.xrange(REDIS_KEYS.auditLog.key('p'), '-', '+');
    const reasons = rows.map(([, f]) => (JSON.parse(f[1]!) as { reason: string }).reason);
    // At most one batch was already handed to the client when Redis went; of the rest, the newest 10 were kept.
    expect(reasons.slice(-10)).toEqual(Array.from({ length: 10 }, (_, i) => `step ${41 + i}`));
    expect(reasons.length).toBeLessThanOrEqual(11);
    const back = log.lines.find((l) => l.msg === 'audit: the trail is written to Redis again')!;
    expect((back.obj as { dropped: number }).dropped).toBeGreaterThanOrEqual(39);
  }, 60_000);

  it("folds a stranger's repeated refusals into one entry per chat per interval, with the count", async () => {
    const clock = new ManualClock(0);
    const trail = new AuditTrail({ redis: ctx.redis, prefix: ctx.prefix, maxEntries: 100, clock, secrets: [], log: quietLog() });
    for (let i = 0; i < 5; i++) trail.strangerRefused({ chatId: 2002, userId: 2002, chatType: 'private', kind: 'message' });
    trail.strangerRefused({ chatId: 3003, userId: 3003, chatType: 'private', kind: 'button' });
    clock.set(60_000);
    trail.strangerRefused({ chatId: 2002, userId: 2002, chatType: 'private', kind: 'message' });
    await trail.flush(30_000);
    const all = await trail.recent(10);
    if (!all.ok) throw new Error(all.error.message);
    expect(all.value.map(({ id: _id, at: _at, ...e }) => e)).toEqual([
      { kind: 'stranger', chatId: '2002', userId: '2002', chatType: 'private', update: 'message', repeats: 0 },
      { kind: 'stranger', chatId: '3003', userId: '3003', chatType: 'private', update: 'button', repeats: 0 },
      { kind: 'stranger', chatId: '2002', userId: '2002', chatType: 'private', update: 'message', repeats: 4 },
    ]);
  });
});

describe('/audit [COUNT]', () => {
  it('shows the last entries, one line each; a bad count gets a specific answer; an empty trail says so', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 4, 6, 30));
    const trail = new AuditTrail({ redis: ctx.redis, prefix: ctx.prefix, maxEntries: 100, clock, secrets: [], log: quietLog() });
    const dispatcher = new Dispatcher({ services: new FakeServices(), clock, audit: trail, roles: { '1001': 'owner' } });
    const untracked = new Dispatcher({ services: new FakeServices(), clock });
    expect((await untracked.handle('console', '/audit')).text).toBe('📜 The audit trail is empty.');
    trail.record({
      kind: 'order',
      event: 'sent',
      clientOrderId: 'tg_G1_1_B-1',
      symbol: 'BTCUSDT',
      side: 'BUY',
      order: { type: 'LIMIT', price: '94500', quantity: '0.001', owner: 'grid G1' },
    });
    trail.record(state(1));
    await trail.flush();

    const reply = await dispatcher.handle('1001', '/audit 3', '1001');
    expect(reply.text.split('\n')).toEqual([
      '📜 Audit trail, the last 3 entries (UTC, oldest first):',
      '12-04 06:30:00 · bot · order sent tg_G1_1_B-1 BTCUSDT BUY LIMIT 0.001 @ 94500 (grid G1)',
      '12-04 06:30:00 · bot · trading ACTIVE → HALTED: step 1',
      '12-04 06:30:00 · 1001 owner · /audit 3', // what it shows includes its own asking
    ]);
    for (const [text, problem] of [
      ['/audit 0', "✗ COUNT must be a whole number from 1 to 200, got '0'."],
      ['/audit 201', "✗ COUNT must be a whole number from 1 to 200, got '201'."],
      ['/audit lots', "✗ COUNT must be a whole number from 1 to 200, got 'lots'."],
    ] as const) {
      expect((await dispatcher.handle('1001', text, '1001')).text).toBe(`${problem}\nUsage: /audit [COUNT]\nExample: /audit 50`);
    }
    expect((await dispatcher.handle('2002', '/audit', '2002')).text).toBe(
      '⛔ /audit needs the owner role; you are a viewer here. Nothing was done.',
    );
  });
});
