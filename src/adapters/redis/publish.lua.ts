import { roomOfLua } from './room-of.lua.ts';

// Lua, run by Redis atomically (EVALSHA).
export const publishLua = `${roomOfLua}
-- Stores one message atomically: the room's next seq (a new epoch when the room is new or its
-- data was lost), dedupe of the client id, the bounded history stream, and the live PUBLISH.
-- KEYS: meta, log, id. ARGV: channel, new epoch, now, history size, history ttl ms, dedupe
-- window ms, meta ttl ms, client id ('' for none), body (JSON).
-- Returns {epoch, seq, repeat (0/1), body ('' when a repeat's message left the history)}.
local now = tonumber(ARGV[3])
local epoch, seq, last = room_of(ARGV[2], now, ARGV[7])
local window = tonumber(ARGV[6])
if ARGV[8] ~= '' and window > 0 then
  local first = redis.call('HMGET', KEYS[3], 'epoch', 'seq', 'at')
  if first[1] == epoch and now - tonumber(first[3]) < window then
    local id = first[2] .. '-0'
    local held = redis.call('XRANGE', KEYS[2], id, id)
    local body = ''
    if held[1] then body = held[1][2][2] end
    return {epoch, tonumber(first[2]), 1, body}
  end
end
if now - last >= tonumber(ARGV[5]) then redis.call('DEL', KEYS[2]) end
seq = seq + 1
redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', seq, 'last', now)
redis.call('PEXPIRE', KEYS[1], ARGV[7])
if tonumber(ARGV[4]) > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], seq .. '-0', 'b', ARGV[9])
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
end
if ARGV[8] ~= '' and window > 0 then
  redis.call('HSET', KEYS[3], 'epoch', epoch, 'seq', seq, 'at', now)
  redis.call('PEXPIRE', KEYS[3], window)
end
redis.call('PUBLISH', ARGV[1], '{"e":' .. cjson.encode(epoch) .. ',"s":' .. seq .. ',"b":' .. ARGV[9] .. '}')
return {epoch, seq, 0, ARGV[9]}
`;
