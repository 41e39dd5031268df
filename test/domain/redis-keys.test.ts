import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REDIS_KEYS, type RedisKeyFamily, type RedisKeyName, redisKeyFamilyOf, redisKeyGlob } from '../../src/domain/index.js';
import { documentedRedisKeyTable, renderRedisKeyTable } from '../kit/redis-key-table.js';

/** Values the bot really puts in each `<part>`, so every family is built the way its writer builds it. */
const SAMPLES: Record<string, readonly string[]> = {
  chat: ['1001', '-1001234567890'],
  rule: ['weight:1m', 'orders:10s', 'orders:1d'],
  queue: ['orders-place', 'orders-cancel'],
  job: ['tg_G1_17_B-2', 'tg_G12_3_S4', 'tg_F2_S', 'sweep-BTCUSDT'],
  bullmq: ['wait', 'active', 'events', 'meta', 'id', 'marker', 'completed', 'stalled-check', 'de:tg_G1_1_B-1', 'metrics:completed'],
  jobpart: ['lock', 'logs'],
  symbol: ['BTCUSDT', 'ETHUSDT.P', '1000PEPEUSDT'],
  interval: ['1m', '1h', '4h'],
};

/** Every key of a family over every combination of the sample parts. */
function samples(prefix: string, name: RedisKeyName): string[] {
  const f = REDIS_KEYS[name] as RedisKeyFamily;
  const parts = [...f.template.matchAll(/<([a-z]+)>/g)].map((m) => SAMPLES[m[1]!]!);
  let combos: string[][] = [[]];
  for (const values of parts) combos = combos.flatMap((c) => values.map((v) => [...c, v]));
  return combos.map((c) => (f.key as (p: string, ...parts: string[]) => string)(prefix, ...c));
}

const names = Object.keys(REDIS_KEYS) as RedisKeyName[];

describe('the one table of Redis keys', () => {
  it('every family builds keys under the prefix that match its own pattern and no other family', () => {
    // A KEY_PREFIX may hold ':' itself, so a key is judged only after its own prefix.
    for (const prefix of ['telegrid', 'test:42:ab12']) {
      for (const name of names) {
        for (const key of samples(prefix, name)) {
          expect(key.startsWith(`${prefix}:`)).toBe(true);
          const rest = key.slice(prefix.length + 1);
          expect(
            names.filter((other) => REDIS_KEYS[other].pattern.test(rest)),
            key,
          ).toEqual([name]);
          expect(redisKeyFamilyOf(prefix, key)).toBe(name);
        }
      }
    }
  });

  it('the builders give the keys the doc names, and nothing matches a key of another prefix', () => {
    expect(REDIS_KEYS.stateOrders.key('telegrid')).toBe('telegrid:state:orders');
    expect(REDIS_KEYS.outboxUrgent.key('telegrid', '-100')).toBe('telegrid:outbox:q:-100:u');
    expect(REDIS_KEYS.rateLog.key('telegrid', 'weight:1m')).toBe('telegrid:rate:log:weight:1m');
    expect(REDIS_KEYS.queueJobPart.key('telegrid', 'orders-place', 'tg_G1_1_B-1', 'lock')).toBe('telegrid:orders-place:tg_G1_1_B-1:lock');
    expect(REDIS_KEYS.sandboxAccount.key('telegrid')).toBe('telegrid:v1:sandbox:account');
    expect(REDIS_KEYS.candles.key('telegrid', 'BTCUSDT', '1m')).toBe('telegrid:candles:BTCUSDT:1m');
    expect(redisKeyFamilyOf('telegrid', 'telegrid:candles:BTCUSDT:1d')).toBeUndefined();
    expect(redisKeyFamilyOf('telegrid', 'telegrid:candles:btcusdt:1m')).toBeUndefined();
    expect(redisKeyFamilyOf('test:1', 'test:1:ab:state:orders')).toBeUndefined(); // prefix test:1:ab's key
    expect(redisKeyFamilyOf('test:1', 'test:10:state:orders')).toBeUndefined();
    expect(redisKeyFamilyOf('telegrid', 'telegrid:state:order')).toBeUndefined();
    expect(redisKeyGlob('a*b', 'state')).toBe('a\\*b:state:*');
  });

  it('docs/OPERATIONS.md prints exactly this table (run `npx tsx test/kit/redis-key-table.ts --write` after changing it)', () => {
    expect(documentedRedisKeyTable()).toBe(renderRedisKeyTable());
  });

  it('no module but the table builds a key: no `${…}:state`, `:outbox`, `:rate`… template anywhere else in src/', () => {
    const src = fileURLToPath(new URL('../../src', import.meta.url));
    const table = join(src, 'domain', 'redis-keys.ts');
    const files = (readdirSync(src, { recursive: true }) as string[])
      .map((f) => join(src, f))
      .filter((f) => f.endsWith('.ts') && f !== table);
    // A key is `${prefix}` followed by one of the table's first segments; comments may name keys (`<prefix>:state:*`).
    const first = 'owner|state|trading|rate|outbox|audit|candles|v1';
    const built = new RegExp(`\\$\\{[^}]*\\}:(?:${first}|orders-place|orders-cancel)\\b|['"\`]:(?:${first}):`);
    const offenders: string[] = [];
    for (const file of files) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const code = line.trim();
          if (code.startsWith('*') || code.startsWith('//') || code.startsWith('/*')) return;
          if (built.test(code)) offenders.push(`${relative(src, file)}:${i + 1}: ${code}`);
        });
    }
    expect(offenders).toEqual([]);
  });
});
