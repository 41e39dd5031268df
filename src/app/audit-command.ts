import type { Redis } from 'ioredis';
import { AuditReader } from '../audit/index.js';
import { type Result, failure, ok } from '../domain/index.js';
import type { Config } from './config.js';
import { connectRedis } from './redis-connection.js';

export const AUDIT_USAGE = `usage: telegrid audit [--since WHEN]
  Prints the audit trail from the bot's Redis (REDIS_URL, KEY_PREFIX) as JSON lines, oldest first.
  WHEN: a duration back from now (30m, 2h, 2d) or an ISO date (2026-12-01, 2026-12-01T08:00:00Z); default: all of it.`;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ISO = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** `--since`'s value as epoch ms: minutes, hours or days back from `now`, or an ISO date (UTC when it names no zone). */
export function parseSince(text: string, now: number): Result<number> {
  const expected = 'expected a duration like 30m, 2h or 2d, or an ISO date like 2026-12-01 or 2026-12-01T08:00:00Z';
  const span = /^(\d{1,6})([mhd])$/.exec(text);
  if (span) {
    const n = Number(span[1]);
    if (n === 0) return failure('BAD_SINCE', `--since ${text}: the duration must be above 0 (${expected})`);
    return ok(now - n * UNIT_MS[span[2] as keyof typeof UNIT_MS]);
  }
  if (ISO.test(text)) {
    const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/.test(text) || text.length === 10 ? text : `${text}Z`;
    const at = Date.parse(zoned.replace(' ', 'T'));
    if (Number.isFinite(at)) return ok(at);
    return failure('BAD_SINCE', `--since ${text}: not a real date (${expected})`);
  }
  return failure('BAD_SINCE', `--since '${text}': ${expected}`);
}

/** The flags of `telegrid audit`: `--since WHEN` (or `--since=WHEN`). */
function parseAuditFlags(argv: readonly string[], now: number): Result<{ readonly sinceMs: number }> {
  let sinceMs = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const inline = arg.startsWith('--since=') ? arg.slice('--since='.length) : undefined;
    if (arg !== '--since' && inline === undefined) return failure('BAD_FLAG', `unknown flag '${arg}'\n${AUDIT_USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') return failure('BAD_SINCE', `--since needs a value: 30m, 2h, 2d or an ISO date`);
    const since = parseSince(value, now);
    if (!since.ok) return since;
    sinceMs = since.value;
  }
  return ok({ sinceMs });
}

/** Writes every entry of the trail under `prefix` stored since `sinceMs` as one JSON line each; returns how many. */
async function printAudit(redis: Redis, prefix: string, sinceMs: number, write: (line: string) => void): Promise<number> {
  let count = 0;
  for await (const record of new AuditReader(redis, prefix).since(sinceMs)) {
    write(`${JSON.stringify(record)}\n`);
    count++;
  }
  return count;
}

/** `telegrid audit`: the exit code (2 for bad flags or an unreachable Redis). */
export async function runAudit(
  argv: readonly string[],
  config: Config,
  io: { readonly now: number; readonly out: (text: string) => void; readonly err: (text: string) => void },
): Promise<number> {
  const flags = parseAuditFlags(argv, io.now);
  if (!flags.ok) {
    io.err(`telegrid audit: ${flags.error.message}\n`);
    return 2;
  }
  const connected = await connectRedis(config.REDIS_URL);
  if (!connected.ok) {
    io.err(`telegrid audit: ${connected.message}\n`);
    return 2;
  }
  try {
    await printAudit(connected.redis, config.KEY_PREFIX, flags.value.sinceMs, io.out);
    return 0;
  } finally {
    await connected.redis.quit();
  }
}
