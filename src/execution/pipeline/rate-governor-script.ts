/**
 * The governor's Lua, kept as TypeScript strings (not .lua files) so esbuild-bundled benchmarks carry them.
 *
 * ACQUIRE_SCRIPT
 *   KEYS: 1 trading state, 2 pause, 3 member counter, then per touched rule: sliding log (zset), running sum.
 *   ARGV: 1 kind, 2 now (caller's ms), 3 counter TTL ms, then per touched rule: amount, cap, window ms, TTL ms,
 *         bucket ms (0: one entry per request).
 *   Returns {code, waitMs}: 0 granted, 1 budget, 2 paused, 3 halted.
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

local function amountOf(member)
  return tonumber(string.match(member, ':(%d+)$'))
end

local n = (#KEYS - 3) / 2
local sums = {}
local amounts = {}
local ttls = {}
local buckets = {}
local wait = 0
local refused = false

for i = 1, n do
  local log = KEYS[2 + 2 * i]
  local sumKey = KEYS[3 + 2 * i]
  local a = 3 + (i - 1) * 5
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
    local log = KEYS[2 + 2 * i]
    local sumKey = KEYS[3 + 2 * i]
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
  local log = KEYS[2 + 2 * i]
  local sumKey = KEYS[3 + 2 * i]
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
return {0, 0}
`;

/**
 * PAUSE_SCRIPT — KEYS: 1 pause. ARGV: 1 until (caller's ms), 2 TTL ms. Only ever moves the pause later.
 */
export const PAUSE_SCRIPT = `
local current = tonumber(redis.call('GET', KEYS[1]))
local target = tonumber(ARGV[1])
if current == nil or target > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return target
end
return current
`;
