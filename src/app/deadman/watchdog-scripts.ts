import type { Redis } from 'ioredis';
import { REDIS_KEYS } from '../../domain/index.js';
import { type Fired, type Heartbeat, LUA_NOW, SWITCH_FIELDS, deadmanSwitchKey, heartbeatKey } from './heartbeat.js';

// KEYS[1] heartbeat, KEYS[2] switch. ARGV the watchdog's look (JSON, without its time). Records the look on Redis's
// clock and returns {heartbeat, stored bound, last death acted on, Redis's time}, '' for what is absent.
const LOOK = `
${LUA_NOW}
local look = cjson.decode(ARGV[1])
look.at = now
redis.call('HSET', KEYS[2], '${SWITCH_FIELDS.watchdog}', cjson.encode(look))
local sw = redis.call('HMGET', KEYS[2], '${SWITCH_FIELDS.after}', '${SWITCH_FIELDS.fired}')
return {redis.call('GET', KEYS[1]) or '', sw[1] or '', sw[2] or '', now}
`;

// KEYS[1] heartbeat, KEYS[2] switch, KEYS[3] trading:state, KEYS[4] state:trading. ARGV token, beat time, beat identity,
// fired record (JSON, without its time), reason. Claims the death of that beat, once: only while the heartbeat is still
// that beat (a bot that came back meanwhile is not halted) and no watchdog has claimed it (two watchdogs act once).
// Then HALTED where every worker reads it and in the saved state a restarted bot restores, keeping an existing halt's
// reason. Returns 0 (not claimed) or {Redis's time, 1 if it was already HALTED}.
const CLAIM = `
local hb = redis.call('GET', KEYS[1])
if not hb then return 0 end
local okb, beat = pcall(cjson.decode, hb)
if not okb or type(beat) ~= 'table' or beat.token ~= ARGV[1] or beat.at ~= tonumber(ARGV[2]) then return 0 end
local prior = redis.call('HGET', KEYS[2], '${SWITCH_FIELDS.fired}')
if prior then
  local okf, f = pcall(cjson.decode, prior)
  if okf and type(f) == 'table' and f.beat == ARGV[3] then return 0 end
end
${LUA_NOW}
local fired = cjson.decode(ARGV[4])
fired.at = now
redis.call('HSET', KEYS[2], '${SWITCH_FIELDS.fired}', cjson.encode(fired))
redis.call('SET', KEYS[3], 'HALTED')
local saved = redis.call('GET', KEYS[4])
if saved then
  local oks, s = pcall(cjson.decode, saved)
  if oks and type(s) == 'table' and s.state == 'HALTED' then return {now, 1} end
end
redis.call('SET', KEYS[4], cjson.encode({version = 1, state = 'HALTED', reason = ARGV[5], since = now}))
return {now, 0}
`;

export interface Look {
  readonly heartbeat: string;
  readonly storedBound: string;
  readonly fired: string;
  /** ms on Redis's clock. */
  readonly now: number;
}

/** One look at the heartbeat and the switch, recording that this watchdog is watching. */
export async function look(redis: Redis, prefix: string, self: { host: string; pid: number; pollMs: number }): Promise<Look> {
  const [heartbeat, storedBound, fired, now] = (await redis.eval(
    LOOK,
    2,
    heartbeatKey(prefix),
    deadmanSwitchKey(prefix),
    JSON.stringify(self),
  )) as [string, string, string, number];
  return { heartbeat, storedBound, fired, now };
}

/** Claims the death and halts; undefined when it was not this watchdog's to act on (see CLAIM). */
export async function claimDeath(
  redis: Redis,
  prefix: string,
  beat: Heartbeat,
  fired: Fired,
): Promise<{ readonly at: number; readonly wasHalted: boolean } | undefined> {
  const keys = [heartbeatKey(prefix), deadmanSwitchKey(prefix), REDIS_KEYS.tradingState.key(prefix), REDIS_KEYS.stateTrading.key(prefix)];
  const reply = (await redis.eval(
    CLAIM,
    keys.length,
    ...keys,
    beat.token,
    String(beat.at),
    fired.beat,
    JSON.stringify(fired),
    fired.reason,
  )) as 0 | [number, number];
  return reply === 0 ? undefined : { at: reply[0], wasHalted: reply[1] === 1 };
}
