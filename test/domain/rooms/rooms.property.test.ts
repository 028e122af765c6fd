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
  | { kind: 'publish'; room: string }
  /** The engine loses the room: a new epoch, numbered from 1 again. */
  | { kind: 'lose'; room: string };

/** Where the engine has each room: its epoch and its latest seq. */
type EngineRooms = Map<string, { epoch: string; head: number }>;

const engineRoom = (engine: EngineRooms, room: string) =>
  engine.get(room) ?? { epoch: 'e', head: 0 };

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
  fc.record({ kind: fc.constant('lose' as const), room: fc.constantFrom(...ROOMS) }),
);

/** The command a step means in `state`: seqs follow the engine's numbering (the model's). */
const commandOf = (state: RoomsState, s: Step, engine: EngineRooms): RoomsCommand | undefined => {
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
      const { epoch, head } = engineRoom(engine, s.room);
      return join(s.id, s.room, head, epoch);
    }
    case 'leave':
      return leave(s.id, s.room);
    case 'ack': {
      const head = state.rooms.get(s.room)?.head;
      return head === undefined ? undefined : acknowledge(s.id, s.room, head);
    }
    case 'publish': {
      const { epoch, head } = engineRoom(engine, s.room);
      engine.set(s.room, { epoch, head: head + 1 });
      return publish(s.room, head + 1, epoch);
    }
    case 'lose':
      engine.set(s.room, { epoch: `${engineRoom(engine, s.room).epoch}'`, head: 0 });
      return undefined;
  }
};

/** What `id` has pending in its rooms other than `room`. */
const pendingOutside = (state: RoomsState, id: string, room: string): number => {
  let pending = 0;
  for (const [other, cursor] of state.connections.get(id)?.cursors ?? []) {
    if (other !== room) pending += Math.max(0, (state.rooms.get(other)?.head ?? cursor) - cursor);
  }
  return pending;
};

test('under any commands, rooms lost by the engine included: no connection holds more than its send buffer, members and cursors agree, each room here is at the engine head, and a renumbering evicts only for what is pending elsewhere', (t) => {
  fc.assert(
    fc.property(
      fc.array(step, { maxLength: 80, size: 'max' }),
      fc.integer({ min: 1, max: 5 }),
      (steps, capacity) => {
        let state = emptyRooms(capacity, 2);
        const engine: EngineRooms = new Map();
        for (const s of steps) {
          const command = commandOf(state, s, engine);
          if (command === undefined) continue;
          const previous = state;
          const snapshot = describe(previous);
          const { events, state: next } = run(state, command);
          state = next;
          const renumbered = events.find((event) => event.type === 'Renumbered');
          for (const event of events) {
            if (renumbered === undefined || event.type !== 'Overflowed') continue;
            t.true(pendingOutside(previous, event.connectionId, renumbered.room) >= capacity);
          }
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
            // A room lost by the engine is renumbered here by its next message or join.
            const { epoch, head } = engineRoom(engine, room);
            if (here.epoch === epoch) t.is(here.head, head, `${room} is at the engine's head`);
            else t.is(head, 0, `${room} lags only a numbering the engine left, with nothing new`);
          }
        }
      },
    ),
    { numRuns: 1_000 },
  );
});
