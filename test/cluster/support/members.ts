import type { ExecutionContext } from 'ava';
import type { V2TestClient } from '../../adapters/support/v2-client.ts';
import { waitUntil } from '../../adapters/support/ws-client.ts';
import { type ClusterNode, pollUntil } from './cluster.ts';
import { openV2 } from './room-log.ts';

/** An entry of a `joined` or `members` item's `members`. */
export type Member = Readonly<{ name: string; connections: number }>;

/** `members` of an item, sorted by name (the protocol gives no order). */
export const sortedMembers = (members: unknown): Member[] =>
  [...(members as Member[])].sort((x, y) => x.name.localeCompare(y.name));

/** Asks for the members of `room` and returns them, sorted by name. */
export const membersSeenBy = async (client: V2TestClient, room: string): Promise<Member[]> => {
  const before = client.of('members', room).length;
  client.command({ type: 'members', room });
  return sortedMembers((await client.next('members', room, before + 1)).members);
};

/**
 * Asks `client` for the members of `room` until they are `expected` (what other nodes report
 * comes through Redis, a little later), within `timeoutMs`.
 */
export const membersBecome = (
  client: V2TestClient,
  room: string,
  expected: readonly Member[],
  where: string,
  timeoutMs?: number,
): Promise<true> =>
  pollUntil(
    async () => JSON.stringify(await membersSeenBy(client, room)) === JSON.stringify(expected),
    `the members asked on ${where} to be ${JSON.stringify(expected)}`,
    timeoutMs,
  );

/** `+name` / `-name` for each member_joined / member_left of `room` that `client` got, in order. */
export const presenceChanges = (client: V2TestClient, room: string): string[] =>
  client.items.flatMap((item) =>
    item.room === room && (item.type === 'member_joined' || item.type === 'member_left')
      ? [`${item.type === 'member_joined' ? '+' : '-'}${String(item.name)}`]
      : [],
  );

/** Waits until `client` got as many presence changes in `room` as `expected` lists. */
export const waitForChanges = (
  client: V2TestClient,
  room: string,
  expected: readonly string[],
  who: string,
  timeoutMs?: number,
): Promise<true> =>
  waitUntil(
    () => presenceChanges(client, room).length >= expected.length,
    () => `${who} to see ${expected.join(' ')} (saw ${presenceChanges(client, room).join(' ')})`,
    timeoutMs,
  );

/** A hubbub.v2 client named `name` on `node`, joined to `room`, with the members it was told. */
export const joinNamed = async (
  t: ExecutionContext,
  node: ClusterNode,
  name: string,
  room: string,
): Promise<{ client: V2TestClient; members: Member[] }> => {
  const client = await openV2(t, node, name);
  const joined = await client.join(room);
  return { client, members: sortedMembers(joined.members) };
};
