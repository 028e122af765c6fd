import test from 'ava';
import fc from 'fast-check';
import type { PresenceChange, RoomsState } from '../../../src/domain/rooms/index.ts';
import { here, members, report, type Seen, type Step, take } from './presence-across-support.ts';
import { at, emptyRooms, join, leave, register } from './rooms-support.ts';

const IDS = ['c1', 'c2', 'c3'];
const NAMES = ['ann', 'bob', 'cat'];
const ROOMS = ['a', 'b'];
const NODES = ['n2', 'n3'];

const step: fc.Arbitrary<Step> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...IDS), name: fc.constantFrom(...NAMES) })
    .map(({ id, name }) => here(register(id, name))),
  fc
    .constantFrom(...IDS)
    .map((connectionId) => here({ type: 'Unregister', connectionId, reason: 'left', at })),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => here(join(id, room))),
  fc
    .record({ id: fc.constantFrom(...IDS), room: fc.constantFrom(...ROOMS) })
    .map(({ id, room }) => here(leave(id, room))),
  fc
    .record({
      node: fc.constantFrom(...NODES),
      room: fc.constantFrom(...ROOMS),
      name: fc.constantFrom(...NAMES),
      connections: fc.nat(3),
    })
    .map(({ node, room, name, connections }) => report(node, room, name, connections)),
);

/** Each name's connections in `room` on every process: here's from the connections, the others' as last reported. */
const totals = (state: RoomsState, reported: ReadonlyMap<string, number>, room: string) => {
  const sums = new Map<string, number>();
  const add = (name: string, connections: number) => {
    if (connections > 0) sums.set(name, (sums.get(name) ?? 0) + connections);
  };
  for (const [, connection] of state.connections) {
    if (connection.cursors.has(room)) add(connection.name, 1);
  }
  for (const [key, connections] of reported) {
    const [node, reportedRoom, name] = key.split('/');
    if (node !== undefined && reportedRoom === room && name !== undefined) add(name, connections);
  }
  return sums;
};

test('under any steps: the members are the sum over processes, and a change is told exactly when a total crosses 0', (t) => {
  fc.assert(
    fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
      let state = emptyRooms(10, ROOMS.length);
      const seen: Seen = new Map();
      const reported = new Map<string, number>();
      for (const next of steps) {
        const before = ROOMS.map((room) => totals(state, reported, room));
        const taken = take(state, seen, next);
        state = taken.state;
        if (next.kind === 'there') {
          reported.set(`${next.node}/${next.room}/${next.name}`, next.connections);
        }
        ROOMS.forEach((room, index) => {
          const now = totals(state, reported, room);
          const expected = [...now]
            .map(([name, connections]) => ({ name, connections }))
            .sort((x, y) => x.name.localeCompare(y.name));
          t.deepEqual(members(state, seen, room), expected);
          const crossed = NAMES.flatMap((name): PresenceChange[] => {
            const was = before[index]?.get(name) ?? 0;
            const is = now.get(name) ?? 0;
            if (was === 0 && is > 0) return [{ type: 'member_joined', room, name }];
            if (was > 0 && is === 0) return [{ type: 'member_left', room, name }];
            return [];
          });
          const told = taken.changes.filter((change) => change.room === room);
          t.deepEqual(
            [...told].sort((x, y) => x.name.localeCompare(y.name)),
            crossed,
            JSON.stringify(next),
          );
        });
      }
    }),
    { numRuns: 500 },
  );
});
