import test from 'ava';
import fc from 'fast-check';
import { pendingIn, type RoomsCommand, type RoomsState } from '../../../src/domain/rooms/index.ts';
import {
  acknowledge,
  at,
  emptyRooms,
  join,
  leave,
  publish,
  register,
  run,
} from './rooms-support.ts';

const IDS = ['c1', 'c2', 'c3', 'c4'];
const ROOMS = ['a', 'b', 'c'];

type Step =
  | { kind: 'register' | 'unregister'; id: string }
  | { kind: 'join' | 'leave' | 'ack'; id: string; room: string }
  | { kind: 'publish'; room: string };

/** Everything a state holds, as text: equal texts mean equal states. */
const describe = (state: RoomsState): string =>
  JSON.stringify({
    connections: [...state.connections.entries()].map(([id, c]) => [id, [...c.cursors]]),
    rooms: [...state.rooms.entries()].map(([room, here]) => [
      room,
      here.epoch,
      here.head,
      [...here.members.keys()],
    ]),
  });

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('register' as const, 'unregister' as const),
    id: fc.constantFrom(...IDS),
  }),
  fc.record({
    kind: fc.constantFrom('join' as const, 'leave' as const, 'ack' as const),
    id: fc.constantFrom(...IDS),
    room: fc.constantFrom(...ROOMS),
  }),
  fc.record({ kind: fc.constant('publish' as const), room: fc.constantFrom(...ROOMS) }),
);

/** The command a step means in `state`: seqs follow the engine's numbering (the model's). */
const commandOf = (
  state: RoomsState,
  s: Step,
  engineHeads: Map<string, number>,
): RoomsCommand | undefined => {
  switch (s.kind) {
    case 'register':
      return register(s.id);
    case 'unregister':
      return { type: 'Unregister', connectionId: s.id, reason: 'left', at };
    case 'join': {
      const connection = state.connections.get(s.id);
      if (
        connection === undefined ||
        (connection.cursors.size >= state.maxRooms && !connection.cursors.has(s.room))
      )
        return undefined;
      return join(s.id, s.room, engineHeads.get(s.room) ?? 0);
    }
    case 'leave':
      return leave(s.id, s.room);
    case 'ack': {
      const head = state.rooms.get(s.room)?.head;
      return head === undefined ? undefined : acknowledge(s.id, s.room, head);
    }
    case 'publish': {
      const seq = (engineHeads.get(s.room) ?? 0) + 1;
      engineHeads.set(s.room, seq);
      return publish(s.room, seq);
    }
  }
};

test('under any commands: no connection holds more than its send buffer, members and cursors agree, and each room here is at the engine head', (t) => {
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 80 }),
      fc.integer({ min: 1, max: 5 }),
      (steps, capacity) => {
        let state = emptyRooms(capacity, 2);
        const engineHeads = new Map<string, number>();
        for (const s of steps) {
          const command = commandOf(state, s, engineHeads);
          if (command === undefined) continue;
          const previous = state;
          const snapshot = describe(previous);
          state = run(state, command).state;
          t.is(describe(previous), snapshot, 'deciding and evolving left the old state as it was');
          for (const [id, connection] of state.connections) {
            t.true(pendingIn(state, id) <= capacity, `${id} holds at most its buffer`);
            for (const room of connection.cursors.keys())
              t.true(state.rooms.get(room)?.members.has(id) === true);
          }
          for (const [room, here] of state.rooms) {
            t.true(here.members.size > 0, `${room} has a member here`);
            const byName = new Map<string, number>();
            here.members.forEach((_, id) => {
              t.true(state.connections.get(id)?.cursors.has(room) === true);
              const name = state.connections.get(id)?.name ?? '';
              byName.set(name, (byName.get(name) ?? 0) + 1);
            });
            const sorted = (entries: Iterable<[string, number]>) =>
              [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
            t.deepEqual(
              sorted(here.names.entries()),
              sorted(byName),
              `${room}: names count its members`,
            );
            t.is(here.head, engineHeads.get(room) ?? 0, `${room} is at the engine's head`);
          }
        }
      },
    ),
    { numRuns: 1_000 },
  );
});
