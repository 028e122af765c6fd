import type { V2TestClient } from '../../adapters/support/v2-client.ts';
import { pollUntil } from './cluster.ts';

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
