/**
 * The governor's Lua, kept as TypeScript strings (not .lua files) so esbuild-bundled benchmarks carry them.
 *
 * ACQUIRE_SCRIPT
 *   KEYS: 1 trading state, 2 pause, 3 member counter, 4 the line (hash), 5 the placement queue's active list and 6 its
 *   wait list (BullMQ's), then per touched rule: sliding log (zset), running sum.
 *   ARGV: 1 kind, 2 now (caller's ms), 3 counter TTL ms, 4 the placement's job id ('' for a request not in the line,
 *   '*' for a placement in the fast lane), then per touched rule: amount, cap, window ms, TTL ms, bucket ms (0: one
 *   entry per request).
 *   Returns {code, waitMs}: 0 granted, 1 budget, 2 paused, 3 halted, 4 behind (an older placement waits; waitMs 0).
 *
 * The line keeps placements in queue order when the order window is full. BullMQ moves a job from the wait list to the
 * head of the active list in one atomic step (RPOPLPUSH), so the active list, read from its tail, is the order in which
 * workers of every process took their jobs: the queue's order. The line hash holds the placements granted while their
 * job is still active. A placement is granted only once every job older than it in the active list is in the line
 * hash; so when one slot frees, only the oldest waiting placement can take it, whichever worker polls first. A job not
 * in the active list (no queue) waits behind no one. Granted entries of jobs no longer active are dropped at each grant.
 * A retried or stalled job is taken again like a new one and waits in its new place (its old entry goes when it asks).
 * A process that dies holding a waiting placement holds the line until BullMQ finds that job stalled (its lock lapses)
 * and puts it back in the queue.
 *
 * The fast lane ('*'): a placement the bot sends itself, asked right behind the write that saves its state, with no job.
 * It is granted only while no queued placement waits (the wait list empty, every active job already in the line hash),
 * so it never overtakes the line; refused as 'behind' otherwise, it is queued like any other.
 *
 * Log members are `${now}:${seq}:${amount}`: the counter makes them unique, the amount lets a trim subtract what it
 * removes from the running sum, so the hot path never sums the whole log. An entry counts while
 * score > now − window, i.e. it frees its room at exactly score + window.
 *
 * A rule with a bucket (a long window: Binance's orders per day) keeps one entry per bucket instead, `${end}:b:${sum}`
 * scored at the bucket's end: a request counts from no earlier than it was made and frees its room no earlier than
 * exactly, so the budget only errs on the safe side (by under a bucket), and a day's log holds at most a day of buckets
 * however many orders went out.
 */
export const ACQUIRE_SCRIPT = `
local kind = ARGV[1]
local nowStr = ARGV[2]
local now = tonumber(nowStr)

if kind == 'place' or kind == 'reduce' then
  local state = redis.call('GET', KEYS[1])
  if state == 'HALTED' or (kind == 'place' and state == 'REDUCING') then
    return {3, 0}
  end
end

local pausedUntil = tonumber(redis.call('GET', KEYS[2]))
if pausedUntil ~= nil and pausedUntil > now then
  return {2, pausedUntil - now}
end

local jobId = ARGV[4]
local active = nil
if jobId == '*' then
  if redis.call('LLEN', KEYS[6]) > 0 then return {4, 0} end
  for _, id in ipairs(redis.call('LRANGE', KEYS[5], 0, -1)) do
    if redis.call('HEXISTS', KEYS[4], id) == 0 then return {4, 0} end
  end
elseif jobId ~= '' then
  -- Asking means not granted in this run: an entry left from an earlier run (a retry) goes.
  redis.call('HDEL', KEYS[4], jobId)
  -- Newest first: the jobs after this one in the list were taken before it.
  active = redis.call('LRANGE', KEYS[5], 0, -1)
  local mine = nil
  for i = 1, #active do
    if active[i] == jobId then mine = i break end
  end
  if mine ~= nil then
    for i = #active, mine + 1, -1 do
      if redis.call('HEXISTS', KEYS[4], active[i]) == 0 then return {4, 0} end
    end
  end
end

local function amountOf(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

local n = (#KEYS - 6) / 2
local sums = {}
local amounts = {}
local ttls = {}
local buckets = {}
local wait = 0
local refused = false

for i = 1, n do
  local log = KEYS[5 + 2 * i]
  local sumKey = KEYS[6 + 2 * i]
  local a = 4 + (i - 1) * 5
  local amount = tonumber(ARGV[a + 1])
  local cap = tonumber(ARGV[a + 2])
  local window = tonumber(ARGV[a + 3])
  local cutoff = now - window

  local sum = tonumber(redis.call('GET', sumKey))
  if sum == nil then
    -- First use, or the sum expired before its log: rebuild it once from the log.
    sum = 0
    for _, m in ipairs(redis.call('ZRANGE', log, 0, -1)) do sum = sum + amountOf(m) end
  end
  local expired = redis.call('ZRANGEBYSCORE', log, '-inf', cutoff)
  if #expired > 0 then
    for _, m in ipairs(expired) do sum = sum - amountOf(m) end
    redis.call('ZREMRANGEBYSCORE', log, '-inf', cutoff)
  end
  sums[i] = sum
  amounts[i] = amount
  ttls[i] = ARGV[a + 4]
  buckets[i] = tonumber(ARGV[a + 5])

  if sum + amount > cap then
    refused = true
    local ruleWait = window
    if amount <= cap then
      -- Walk the oldest entries until enough have left the window; stop early, never scan the whole log at once.
      local need = sum + amount - cap
      local freed = 0
      local start = 0
      local found = false
      while not found do
        local page = redis.call('ZRANGE', log, start, start + 99, 'WITHSCORES')
        if #page == 0 then break end
        for j = 1, #page, 2 do
          freed = freed + amountOf(page[j])
          if freed >= need then
            ruleWait = tonumber(page[j + 1]) + window - now
            found = true
            break
          end
        end
        start = start + 100
      end
    end
    if ruleWait > wait then wait = ruleWait end
  end
end

if refused then
  -- Keep each sum equal to its trimmed log.
  for i = 1, n do
    local log = KEYS[5 + 2 * i]
    local sumKey = KEYS[6 + 2 * i]
    if sums[i] > 0 then
      redis.call('SET', sumKey, sums[i], 'PX', ttls[i])
      redis.call('PEXPIRE', log, ttls[i])
    else
      redis.call('DEL', sumKey, log)
    end
  end
  return {1, wait}
end

local seq = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[3])
for i = 1, n do
  local log = KEYS[5 + 2 * i]
  local sumKey = KEYS[6 + 2 * i]
  if buckets[i] > 0 then
    local at = math.ceil(now / buckets[i]) * buckets[i]
    local total = amounts[i]
    for _, m in ipairs(redis.call('ZRANGEBYSCORE', log, at, at)) do
      total = total + amountOf(m)
      redis.call('ZREM', log, m)
    end
    redis.call('ZADD', log, at, string.format('%d', at) .. ':b:' .. total)
  else
    redis.call('ZADD', log, nowStr, nowStr .. ':' .. seq .. ':' .. amounts[i])
  end
  redis.call('PEXPIRE', log, ttls[i])
  redis.call('SET', sumKey, sums[i] + amounts[i], 'PX', ttls[i])
end
if active ~= nil then
  local still = {}
  for _, id in ipairs(active) do still[id] = true end
  for _, id in ipairs(redis.call('HKEYS', KEYS[4])) do
    if not still[id] then redis.call('HDEL', KEYS[4], id) end
  end
  redis.call('HSET', KEYS[4], jobId, nowStr)
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
return {0, 0}
`;

/**
 * PAUSE_SCRIPT — KEYS: 1 pause, 2 the line. ARGV: 1 until (caller's ms), 2 TTL ms, 3 the job id of a placement that
 * met the 429 ('' for none): it goes back to waiting in its place in the line. Only ever moves the pause later.
 */
export const PAUSE_SCRIPT = `
if ARGV[3] ~= '' then redis.call('HDEL', KEYS[2], ARGV[3]) end
local current = tonumber(redis.call('GET', KEYS[1]))
local target = tonumber(ARGV[1])
if current == nil or target > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return target
end
return current
`;
