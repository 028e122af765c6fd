import {
  byName,
  type CountChange,
  crossing,
  type Member,
  type PresenceChange,
} from './presence.ts';
import type { RoomName } from './room-vocabulary.ts';

/** One name's connections in a room on each other node that has any, by node. */
export type NodeCounts = ReadonlyMap<string, number>;

/** Who is in a room on the other nodes: each name with its connections on each of them. */
export type Elsewhere = ReadonlyMap<string, NodeCounts>;

/** Another node's count of a name's connections in a room (0: it has none left). */
export type NodeReport = Readonly<{
  room: RoomName;
  node: string;
  name: string;
  connections: number;
}>;

/** A name's connections on the other nodes, all together. */
export const totalOf = (counts: NodeCounts | undefined): number => {
  let total = 0;
  counts?.forEach((connections) => {
    total += connections;
  });
  return total;
};

/**
 * The members of a room across nodes: this one's (`here`, as `membersOf` lists them) and
 * the others', with each name's connections summed, sorted by name.
 */
export const mergeMembers = (
  here: readonly Member[],
  elsewhere: Elsewhere | undefined,
): readonly Member[] => {
  if (elsewhere === undefined || elsewhere.size === 0) return here;
  const totals = new Map<string, number>();
  for (const { name, connections } of here) totals.set(name, connections);
  elsewhere.forEach((counts, name) => {
    const there = totalOf(counts);
    if (there > 0) totals.set(name, (totals.get(name) ?? 0) + there);
  });
  return [...totals].map(([name, connections]) => ({ name, connections })).sort(byName);
};

/**
 * A change of a name's connections here, seen across nodes (`elsewhere`: its connections
 * on the others): presence changes only when its total crosses 0.
 */
export const changedHere = (
  change: CountChange,
  elsewhere: NodeCounts | undefined,
): PresenceChange | undefined => {
  const there = totalOf(elsewhere);
  return crossing(change.room, change.name, change.was + there, change.is + there);
};

/**
 * Another node reports its count of a name: the name's counts on the other nodes after
 * it (a node with none is dropped; a count that is not a positive integer is none), and the
 * presence change when the name's total, with `here` (its connections on this node),
 * crosses 0.
 */
export const reportedElsewhere = (
  counts: NodeCounts | undefined,
  report: NodeReport,
  here: number,
): Readonly<{ counts: NodeCounts; change: PresenceChange | undefined }> => {
  const next = new Map(counts);
  if (Number.isSafeInteger(report.connections) && report.connections > 0) {
    next.set(report.node, report.connections);
  } else next.delete(report.node);
  const was = here + totalOf(counts);
  return { counts: next, change: crossing(report.room, report.name, was, here + totalOf(next)) };
};
