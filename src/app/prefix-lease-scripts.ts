import { LUA_NOW, SWITCH_FIELDS } from './deadman/heartbeat.js';

/** The prefix lease's atomic steps (app/prefix-lease-claim.ts), each one Lua script: they act only for the holder's token. */

// KEYS[1] lease. ARGV token, record, ttl ms, stale token. Takes the lease only if it is still the stale holder's.
export const TAKE_OVER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local okd, rec = pcall(cjson.decode, cur)
  if not okd or type(rec) ~= 'table' or rec.token ~= ARGV[4] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

// KEYS[1] lease, KEYS[2] fingerprint, KEYS[3] heartbeat, KEYS[4] dead-man switch. ARGV token, record, ttl ms,
// fingerprint ('' until known), beat interval ms. {0, current record}: another holder has it; otherwise {1: renewed or
// 2: the key was gone and is taken again, '', the bound stored by /deadman, the watchdog's last look, Redis's time, the
// last death a watchdog acted on}.
// The heartbeat is written only by the holder, in the same round trip (app/deadman/heartbeat.ts).
export const RENEW = `
local cur = redis.call('GET', KEYS[1])
local code = 2
if cur then
  local okd, rec = pcall(cjson.decode, cur)
  if not okd or type(rec) ~= 'table' or rec.token ~= ARGV[1] then return {0, cur} end
  code = 1
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if ARGV[4] ~= '' then redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[3]) end
${LUA_NOW}
local beat = cjson.decode(ARGV[2])
beat.at = now
beat.everyMs = tonumber(ARGV[5])
if ARGV[4] ~= '' then beat.account = cjson.decode(ARGV[4]).account end
redis.call('SET', KEYS[3], cjson.encode(beat))
local sw = redis.call('HMGET', KEYS[4], '${SWITCH_FIELDS.after}', '${SWITCH_FIELDS.watchdog}', '${SWITCH_FIELDS.fired}')
return {code, '', sw[1] or '', sw[2] or '', now, sw[3] or ''}
`;

// KEYS[1] lease, KEYS[2] fingerprint, KEYS[3] heartbeat. ARGV token. Deletes both only if the lease is this holder's
// (only the holder writes the fingerprint), and marks its last heartbeat as a clean stop (the watchdog says so).
export const RELEASE = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local okd, rec = pcall(cjson.decode, cur)
if not okd or type(rec) ~= 'table' or rec.token ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1], KEYS[2])
local hb = redis.call('GET', KEYS[3])
if hb then
  local okb, beat = pcall(cjson.decode, hb)
  if okb and type(beat) == 'table' and beat.token == ARGV[1] then
    ${LUA_NOW}
    beat.stoppedAt = now
    redis.call('SET', KEYS[3], cjson.encode(beat))
  end
end
return 1
`;
