// Lua, run by Redis atomically (EVALSHA).
export const readAfterLua = `
-- What a process that missed live messages reads to close the gap: the room's epoch and latest
-- seq, and the messages after 'after' up to 'upto'. KEYS: meta, log. ARGV: after, upto (a seq,
-- or -1 for the latest). Returns {} for a room Redis does not have, else {epoch, latest seq,
-- then id and body of each message, ascending}.
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {} end
local latest = tonumber(redis.call('HGET', KEYS[1], 'seq'))
local reply = {epoch, latest}
local upto = tonumber(ARGV[2])
if upto < 0 or upto > latest then upto = latest end
local after = tonumber(ARGV[1])
if upto <= after then return reply end
for _, entry in ipairs(redis.call('XRANGE', KEYS[2], (after + 1) .. '-0', upto .. '-0')) do
  table.insert(reply, entry[1])
  table.insert(reply, entry[2][2])
end
return reply
`;
