import type { V2TestClient } from '../../support/v2-client.ts';

/**
 * The names a client has been told are in `room`: the members of its last `joined`, then each
 * `member_joined` / `member_left` after it, in order. Throws at an item that cannot be true of
 * the view (a name joining that is there, or leaving that is not): presence is told once.
 */
export const namesSeen = (connection: V2TestClient, room: string): string[] => {
  const { items } = connection;
  const start = items.findLastIndex((item) => item.type === 'joined' && item.room === room);
  const joined = items[start];
  if (joined === undefined) throw new Error(`no joined of ${room}`);
  const names = new Set<string>();
  for (const { name } of joined.members as Array<{ name: string }>) {
    if (names.has(name)) throw new Error(`${name} twice in the members of ${room}`);
    names.add(name);
  }
  for (const item of items.slice(start + 1)) {
    if (item.room !== room) continue;
    const name = String(item.name);
    if (item.type === 'member_joined') {
      if (names.has(name)) throw new Error(`member_joined ${name} in ${room}: already there`);
      names.add(name);
    } else if (item.type === 'member_left') {
      if (!names.delete(name)) throw new Error(`member_left ${name} in ${room}: not there`);
    }
  }
  return [...names].sort();
};
