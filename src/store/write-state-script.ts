import type { Redis } from 'ioredis';

/**
 * One state write, applied atomically by Redis: ARGV is a list of operations, each its name, the index of its key in
 * KEYS and its operands. A script rather than an ioredis MULTI: every MULTI or pipeline ioredis builds (even of one
 * command) survived the young collections with its strings, though nothing reached it at the next full collection
 * (measured: 0.7-2 MB copied per young collection, 4-5 ms pauses, on a write per fill; a plain command, none).
 *
 * 'age' drops fills older than its time (ms, the bot's clock) from the head of the journal, at most its batch: the
 * journal is appended in time order, so the old ones are at the head and the first young one ends the pass.
 */
const WRITE_STATE = `
local i = 1
local n = #ARGV
while i <= n do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  if op == 'set' then
    redis.call('SET', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'hset' then
    redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  elseif op == 'hdel' then
    redis.call('HDEL', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'rpush' then
    redis.call('RPUSH', key, ARGV[i + 2])
    i = i + 3
  elseif op == 'ltrim' then
    redis.call('LTRIM', key, ARGV[i + 2], ARGV[i + 3])
    i = i + 4
  elseif op == 'age' then
    local before = tonumber(ARGV[i + 2])
    local batch = tonumber(ARGV[i + 3])
    local dropped = 0
    while dropped < batch do
      local head = redis.call('LINDEX', key, 0)
      if not head then break end
      local ok, fill = pcall(cjson.decode, head)
      if ok and type(fill) == 'table' and type(fill.time) == 'number' and fill.time >= before then break end
      redis.call('LPOP', key)
      dropped = dropped + 1
    end
    i = i + 4
  else
    return redis.error_reply('unknown state operation ' .. tostring(op))
  end
end
return n`;

/** The operations of one write, against `keys` (their order is the index each operation names, from 1). */
export class StateWrite {
  readonly args: string[] = [];

  constructor(private readonly keys: readonly string[]) {}

  set(key: number, value: string): void {
    this.args.push('set', String(key), value);
  }

  hset(key: number, field: string, value: string): void {
    this.args.push('hset', String(key), field, value);
  }

  hdel(key: number, field: string): void {
    this.args.push('hdel', String(key), field);
  }

  rpush(key: number, value: string): void {
    this.args.push('rpush', String(key), value);
  }

  ltrim(key: number, start: number, stop: number): void {
    this.args.push('ltrim', String(key), String(start), String(stop));
  }

  /** Drops fills older than `before` from the head of the journal at `key`, at most `batch` of them. */
  dropOlder(key: number, before: number, batch: number): void {
    this.args.push('age', String(key), String(before), String(batch));
  }

  /**
   * Sends it, with the script's text each time (Redis keeps it compiled): by hash, a write refused NOSCRIPT (a restarted
   * Redis) and sent again could land after a later one.
   */
  send(redis: Redis): Promise<unknown> {
    return redis.eval(WRITE_STATE, this.keys.length, ...this.keys, ...this.args);
  }
}
