import type { Redis } from 'ioredis';
import { REDIS_KEYS, type Result, failure, ok } from '../domain/index.js';
import type { AuditRecord } from './audit-entry.js';

/** The one field each stream entry carries: the entry as JSON. */
export const ENTRY_FIELD = 'entry';

const PAGE = 500;

type StreamRows = [id: string, fields: string[]][];

function recordOf([id, fields]: StreamRows[number]): AuditRecord | undefined {
  const at = fields.indexOf(ENTRY_FIELD);
  const json = at >= 0 ? fields[at + 1] : undefined;
  if (json === undefined) return undefined;
  try {
    return { id, ...(JSON.parse(json) as Omit<AuditRecord, 'id'>) } as AuditRecord;
  } catch {
    // Something else wrote here; a reader shows the rest rather than fail on it.
    return undefined;
  }
}

function records(rows: StreamRows): AuditRecord[] {
  return rows.map(recordOf).filter((r): r is AuditRecord => r !== undefined);
}

/** Reads the audit stream, as the bot (`/audit`) and any other process (`telegrid audit`) does. */
export class AuditReader {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = REDIS_KEYS.auditLog.key(prefix);
  }

  /** The last `count` entries, oldest first. */
  async recent(count: number): Promise<Result<readonly AuditRecord[]>> {
    try {
      const rows = (await this.redis.xrevrange(this.key, '+', '-', 'COUNT', count)) as StreamRows;
      return ok(records(rows).reverse());
    } catch (error) {
      return failure('AUDIT_UNREADABLE', `the audit trail could not be read (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /**
   * Every entry stored at or after `sinceMs` (epoch ms on the bot's clock, which writes each id's time), oldest first,
   * a page at a time.
   */
  async *since(sinceMs: number): AsyncGenerator<AuditRecord> {
    let start = `${Math.max(0, Math.floor(sinceMs))}-0`;
    for (;;) {
      const rows = (await this.redis.xrange(this.key, start, '+', 'COUNT', PAGE)) as StreamRows;
      yield* records(rows);
      const last = rows.at(-1);
      if (rows.length < PAGE || last === undefined) return;
      start = `(${last[0]}`;
    }
  }
}
