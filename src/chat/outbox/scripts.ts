/**
 * The outbox's Lua, as strings so bundles carry it. Each script is one atomic step of a chat's delivery; together they
 * keep the invariant that a notification id is in exactly one place: its chat's urgent or routine queue, or the
 * chat's in-flight record, until the send succeeded (ACK) or Telegram refused it for good (FAIL 'drop').
 *
 * Times are the callers' clock (ms), passed in, so tests can drive them; Lua numbers are doubles, exact for epoch ms,
 * and every number that goes back to Redis as text goes through '%.0f' (tostring would give "1.7e+12").
 */

/**
 * Reading an in-flight record without trusting it: a record that is not one (damaged, hand-edited) must not fail the
 * script, or every later claim of its chat fails too and the chat is silent for good. `record` returns nil for it (CLAIM
 * sets it aside); `owner_of` returns nil, so it is nobody's and no script takes it for its own.
 */
const RECORD = `
local function record(raw)
  local ok, r = pcall(cjson.decode, raw)
  if not ok or type(r) ~= 'table' or type(r.owner) ~= 'string' or tonumber(r.leaseUntil) == nil then return nil end
  if type(r.sending) ~= 'boolean' or type(r.u) ~= 'table' or type(r.r) ~= 'table' then return nil end
  for _, ids in ipairs({r.u, r.r}) do
    for _, id in ipairs(ids) do
      if type(id) ~= 'string' then return nil end
    end
  end
  return r
end
local function owner_of(raw)
  local r = raw and record(raw)
  if r then return r.owner end
  return nil
end
`;

/**
 * Queues notes in order, all or none (a reply's parts must not be split by a crash).
 * KEYS 1 seq, 2 items, 3 queue, 4 chats · ARGV 1 chat id, then each stored note's JSON → the new ids.
 */
export const ENQUEUE = `
local ids = {}
for i = 2, #ARGV do
  local id = redis.call('INCR', KEYS[1])
  redis.call('HSET', KEYS[2], id, ARGV[i])
  redis.call('RPUSH', KEYS[3], id)
  table.insert(ids, tostring(id))
end
redis.call('SADD', KEYS[4], ARGV[1])
return ids
`;

/**
 * Reserves a chat for one message: its lock (the in-flight record, with a lease) and one slot in the chat's and the
 * global sliding-window logs. A record whose lease ran out belongs to a process that died: if it was sending
 * (sending = true), the message may or may not have reached Telegram, so its ids go back to the head of their queues
 * flagged uncertain (ARGV 9 'resend') or are forgotten (ARGV 9 'drop').
 *
 * A record that is not one is moved, as it was, to the dead-letter hash (field inflight:<chat>:<now>) and the chat goes on;
 * the ids it may have held cannot be read from it.
 *
 * KEYS 1 inflight, 2 pause, 3 chat log, 4 global log, 5 urgent queue, 6 routine queue, 7 chats, 8 seq, 9 items,
 *      10 fails, 11 uncertain, 12 dead letters
 * ARGV 1 now, 2 owner, 3 lease ms, 4 chat limit, 5 chat window, 6 global limit, 7 global window, 8 chat id, 9 policy
 * → {code, ms, settled, setAside}: 0 claimed, 1 wait ms (paused or rate), 2 busy (another live owner) ms, 4 nothing
 *   waits; settled = ids of a dead owner's send that were requeued or dropped; setAside = the dead-letter field of a
 *   record set aside, or ''.
 */
export const CLAIM = `${RECORD}
local now = tonumber(ARGV[1])
local settled = 0
local setAside = ''
local rec = redis.call('GET', KEYS[1])
if rec then
  local r = record(rec)
  if not r then
    setAside = 'inflight:' .. ARGV[8] .. ':' .. ARGV[1]
    redis.call('HSET', KEYS[12], setAside, rec)
    r = {leaseUntil = 0, sending = false}
  end
  if tonumber(r.leaseUntil) > now then return {2, tonumber(r.leaseUntil) - now, 0, ''} end
  if r.sending then
    local function settle(ids, queue)
      for i = #ids, 1, -1 do
        local id = ids[i]
        if ARGV[9] == 'drop' then
          redis.call('HDEL', KEYS[9], id)
          redis.call('HDEL', KEYS[10], id)
          redis.call('HDEL', KEYS[11], id)
        else
          redis.call('LPUSH', queue, id)
          redis.call('HSET', KEYS[11], id, '1')
        end
        settled = settled + 1
      end
    end
    settle(r.r, KEYS[6])
    settle(r.u, KEYS[5])
  end
  redis.call('DEL', KEYS[1])
end
local pausedUntil = tonumber(redis.call('GET', KEYS[2]) or '0')
if pausedUntil > now then return {1, pausedUntil - now, settled, setAside} end
if redis.call('LLEN', KEYS[5]) + redis.call('LLEN', KEYS[6]) == 0 then
  redis.call('SREM', KEYS[7], ARGV[8])
  return {4, 0, settled, setAside}
end
local function wait(key, limit, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%.0f', now - window))
  if redis.call('ZCARD', key) >= limit then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    return tonumber(oldest[2]) + window - now
  end
  return 0
end
local chatWindow = tonumber(ARGV[5])
local globalWindow = tonumber(ARGV[7])
local w = wait(KEYS[3], tonumber(ARGV[4]), chatWindow)
if w > 0 then return {1, w, settled, setAside} end
w = wait(KEYS[4], tonumber(ARGV[6]), globalWindow)
if w > 0 then return {1, w, settled, setAside} end
local member = ARGV[1] .. ':' .. redis.call('INCR', KEYS[8])
redis.call('ZADD', KEYS[3], ARGV[1], member)
redis.call('PEXPIRE', KEYS[3], chatWindow + 60000)
redis.call('ZADD', KEYS[4], ARGV[1], member)
redis.call('PEXPIRE', KEYS[4], globalWindow + 60000)
redis.call('SET', KEYS[1], cjson.encode({owner = ARGV[2], leaseUntil = string.format('%.0f', now + tonumber(ARGV[3])),
  sending = false, u = {}, r = {}}))
return {0, 0, settled, setAside}
`;

/**
 * Moves the planned ids off the heads of their queues into the in-flight record, just before the send. Refused (0)
 * when the lease was lost or the heads are not the ids the plan was built from.
 *
 * KEYS 1 inflight, 2 urgent queue, 3 routine queue · ARGV 1 owner, 2 record JSON, 3 nU, 4 nR, then the urgent ids,
 * then the routine ids.
 */
export const COMMIT = `${RECORD}
if owner_of(redis.call('GET', KEYS[1])) ~= ARGV[1] then return 0 end
local nU = tonumber(ARGV[3])
local nR = tonumber(ARGV[4])
local function heads(queue, n, from)
  if n == 0 then return true end
  local head = redis.call('LRANGE', queue, 0, n - 1)
  if #head ~= n then return false end
  for i = 1, n do
    if head[i] ~= ARGV[from + i] then return false end
  end
  return true
end
if not heads(KEYS[2], nU, 4) or not heads(KEYS[3], nR, 4 + nU) then return 0 end
if nU > 0 then redis.call('LTRIM', KEYS[2], nU, -1) end
if nR > 0 then redis.call('LTRIM', KEYS[3], nR, -1) end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`;

/**
 * The send succeeded: forget the ids. Their records are deleted even when the lease was lost meanwhile, so a process
 * that took the ids over finds no record and settles them without sending them again.
 *
 * KEYS 1 inflight, 2 items, 3 fails, 4 uncertain, 5 urgent queue, 6 routine queue, 7 chats · ARGV 1 owner, 2 chat id,
 * then the ids → 1 if the lease was still ours.
 */
export const ACK = `${RECORD}
local mine = owner_of(redis.call('GET', KEYS[1])) == ARGV[1]
if mine then redis.call('DEL', KEYS[1]) end
for i = 3, #ARGV do
  redis.call('HDEL', KEYS[2], ARGV[i])
  redis.call('HDEL', KEYS[3], ARGV[i])
  redis.call('HDEL', KEYS[4], ARGV[i])
end
if redis.call('LLEN', KEYS[5]) + redis.call('LLEN', KEYS[6]) == 0 and redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[7], ARGV[2])
end
if mine then return 1 end
return 0
`;

/**
 * The send definitely did not deliver. ARGV 2 says what next: 'wait' (a 429) and 'retry' (an error worth retrying,
 * counted per id in the fails hash, which sets the backoff) put the ids back at the heads of their queues in order and
 * pause the chat until ARGV 3; 'drop' (Telegram refused the message for good) forgets them.
 *
 * KEYS 1 inflight, 2 items, 3 fails, 4 uncertain, 5 urgent queue, 6 routine queue, 7 pause
 * ARGV 1 owner, 2 mode, 3 paused until, 4 nU, then the urgent ids, then the routine ids → 1 if the lease was ours.
 */
export const FAIL = `${RECORD}
if owner_of(redis.call('GET', KEYS[1])) ~= ARGV[1] then return 0 end
local function back(queue, from, to)
  for i = to, from, -1 do
    local id = ARGV[i]
    if ARGV[2] == 'drop' then
      redis.call('HDEL', KEYS[2], id)
      redis.call('HDEL', KEYS[3], id)
      redis.call('HDEL', KEYS[4], id)
    else
      if ARGV[2] == 'retry' then redis.call('HINCRBY', KEYS[3], id, 1) end
      redis.call('LPUSH', queue, id)
    end
  end
end
local nU = tonumber(ARGV[4])
back(KEYS[5], 5, 4 + nU)
back(KEYS[6], 5 + nU, #ARGV)
local until_ = tonumber(ARGV[3])
if until_ > tonumber(redis.call('GET', KEYS[7]) or '0') then
  redis.call('SET', KEYS[7], ARGV[3])
end
redis.call('DEL', KEYS[1])
return 1
`;
