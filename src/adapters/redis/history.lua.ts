// Lua, run by Redis atomically (EVALSHA).
export const historyLua = `
-- A page of a room's history: up to 'limit' of the newest messages before 'before', without
-- making the room. KEYS: meta, log. ARGV: now, history ttl ms, limit, before (-1 for none).
-- Returns {} for a room Redis does not have, else {epoch, then id and body of each, ascending}.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {} end
local reply = {epoch}
local latest = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local last = tonumber(redis.call('HGET', KEYS[1], 'last'))
if tonumber(ARGV[1]) - last >= tonumber(ARGV[2]) then return reply end
local upto = latest + 1
local before = tonumber(ARGV[4])
if before >= 0 and before < upto then upto = before end
if upto <= 1 then return reply end
local entries = redis.call('XREVRANGE', KEYS[2], (upto - 1) .. '-0', '-', 'COUNT', ARGV[3])
for i = #entries, 1, -1 do
  table.insert(reply, entries[i][1])
  table.insert(reply, entries[i][2][2])
end
return reply
`;
