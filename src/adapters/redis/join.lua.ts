import { roomOfLua } from './room-of.lua.ts';

// Lua, run by Redis atomically (EVALSHA).
export const joinLua = `${roomOfLua}
-- Where a room is (made, with a new epoch, when Redis has nothing of it) and what a join asks
-- for: everything after 'since' and the newest 'history', from the history stream.
-- KEYS: meta, log. ARGV: new epoch, now, history ttl ms, meta ttl ms, since seq (-1 for none),
-- history count. Returns {epoch, latest seq, then id and body of each message, ascending}.
local now = tonumber(ARGV[2])
local epoch, latest, last = room_of(ARGV[1], now, ARGV[4])
local reply = {epoch, latest}
if now - last >= tonumber(ARGV[3]) then return reply end
local since = tonumber(ARGV[5])
local wanted = latest + 1
if since >= 0 then wanted = since + 1 end
wanted = math.max(1, math.min(wanted, latest + 1 - tonumber(ARGV[6])))
if wanted > latest then return reply end
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], wanted .. '-0', '+')) do
  table.insert(reply, entry[1])
  table.insert(reply, entry[2][2])
end
return reply
`;
