// Lua, run by Redis atomically (EVALSHA).
export const presenceLua = String.raw`
-- One process's presence in a room: sets its count of each given name (0 removes it) until
-- 'expires', publishing each change; with 'sweep', first removes every entry whose process
-- stopped refreshing it, publishing it as 0. KEYS: presence. ARGV: channel, node, now, expires,
-- sweep (1/0), then name and count pairs. An entry is '<node>\n<name>' → '<count>:<expires>'.
local now = tonumber(ARGV[3])
local function changed(field, count)
  redis.call('PUBLISH', ARGV[1], cjson.encode({k = field, c = count}))
end
if ARGV[5] == '1' then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local value = all[i + 1]
    local expires = tonumber(string.sub(value, string.find(value, ':', 1, true) + 1))
    if expires <= now then
      redis.call('HDEL', KEYS[1], all[i])
      changed(all[i], 0)
    end
  end
end
for i = 6, #ARGV, 2 do
  local field = ARGV[2] .. '\n' .. ARGV[i]
  local count = tonumber(ARGV[i + 1])
  local before = redis.call('HGET', KEYS[1], field)
  local was = 0
  if before then was = tonumber(string.sub(before, 1, string.find(before, ':', 1, true) - 1)) end
  if count == 0 then
    if before then
      redis.call('HDEL', KEYS[1], field)
      changed(field, 0)
    end
  else
    redis.call('HSET', KEYS[1], field, count .. ':' .. ARGV[4])
    if was ~= count or not before then changed(field, count) end
  end
end
local ttl = tonumber(ARGV[4]) - now
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;
