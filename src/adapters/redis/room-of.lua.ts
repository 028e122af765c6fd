/**
 * Lua shared by the scripts that make a room on first use: its epoch, latest seq and when that
 * was stored; when Redis has nothing of the room, a new epoch and an empty history.
 * KEYS[1] is the room's meta hash, KEYS[2] its history stream.
 */
export const roomOfLua = `
local function room_of(new_epoch, now, meta_ttl)
  local meta = redis.call('HMGET', KEYS[1], 'epoch', 'seq', 'last')
  if meta[1] then return meta[1], tonumber(meta[2]), tonumber(meta[3]) end
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', new_epoch, 'seq', 0, 'last', now)
  redis.call('PEXPIRE', KEYS[1], meta_ttl)
  return new_epoch, 0, now
end
`;
