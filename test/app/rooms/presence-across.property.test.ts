import test from 'ava';
import fc from 'fast-check';
import type { RoomPeer } from '../../../src/app/rooms/room-peer.ts';
import { RoomsHub } from '../../../src/app/rooms/rooms-hub.ts';
import type { ConnectionTable } from '../../../src/domain/index.ts';
import type { Member, PresenceChange } from '../../../src/domain/rooms/index.ts';
import { PersistentMap } from '../../../src/lib/persistent-map.ts';
import { ManualClock } from '../../contract/engine-contract.ts';
import { OtherNodesEngine } from '../../support/other-nodes-engine.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { RecordingMetrics } from '../../support/recording-metrics.ts';

/** A member that shows presence and records it. */
class Observer implements RoomPeer {
  readonly transport = 'test';
  readonly remote = 'test';
  readonly showsPresence = true;
  readonly presences: PresenceChange[] = [];
  joined(): void {}
  wake(): void {}
  renumbered(): void {}
  presence(change: PresenceChange): void {
    this.presences.push(change);
  }
  close(): void {}
}

const ROOMS = ['a', 'b'];
/** The user name of each connection slot: two of them are ann's. */
const SLOTS = ['ann', 'bob', 'ann', 'cat'];
const NAMES = ['ann', 'bob', 'cat', 'dan'];
const NODES = ['n2', 'n3'];

type Step =
  | Readonly<{ kind: 'connect' | 'disconnect'; slot: number }>
  | Readonly<{ kind: 'join' | 'leave'; slot: number; room: string }>
  | Readonly<{ kind: 'report'; node: string; room: string; name: string; connections: number }>;

const slot = fc.nat(SLOTS.length - 1);
const room = fc.constantFrom(...ROOMS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constantFrom('connect' as const, 'disconnect' as const), slot }),
  fc.record({ kind: fc.constantFrom('join' as const, 'leave' as const), slot, room }),
  fc.record({
    kind: fc.constant('report' as const),
    node: fc.constantFrom(...NODES),
    room,
    name: fc.constantFrom(...NAMES),
    connections: fc.nat(2),
  }),
);

const setUp = () => {
  const clock = new ManualClock();
  const engine = new OtherNodesEngine();
  const hub = new RoomsHub(
    { sendBuffer: 8, maxRoomsPerConnection: ROOMS.length, maxMessageBytes: 512 },
    engine,
    clock,
    new RecordingLogger(),
    new RecordingMetrics(),
    <V>(): ConnectionTable<V> => PersistentMap.empty<V>(),
  );
  return { engine, hub };
};

/** What the test expects: each slot's rooms here, and the others' counts as last reported. */
class Model {
  readonly slots = new Map<number, { id: string; rooms: Set<string> }>();
  readonly reported = new Map<string, number>();

  here(room: string, name: string): number {
    let count = 0;
    for (const [index, { rooms }] of this.slots)
      if (SLOTS[index] === name && rooms.has(room)) count++;
    return count;
  }

  /** Each name's connections in `room` on every process (the observer's included). */
  totals(room: string): Map<string, number> {
    const totals = new Map<string, number>([['obs', 1]]);
    for (const name of NAMES) {
      let total = this.here(room, name);
      for (const node of NODES) total += this.reported.get(`${node}/${room}/${name}`) ?? 0;
      if (total > 0) totals.set(name, total);
    }
    return totals;
  }
}

const asMembers = (totals: Map<string, number>): Member[] =>
  [...totals]
    .map(([name, connections]) => ({ name, connections }))
    .sort((x, y) => x.name.localeCompare(y.name));

const crossings = (room: string, was: Map<string, number>, is: Map<string, number>) =>
  NAMES.flatMap((name): PresenceChange[] => {
    if (!was.has(name) && is.has(name)) return [{ type: 'member_joined', room, name }];
    if (was.has(name) && !is.has(name)) return [{ type: 'member_left', room, name }];
    return [];
  });

test('under any joins, leaves, departures and reports of other processes: the members are the sums over processes, presence is told exactly when a total crosses 0, and the counts here are announced', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
      const { engine, hub } = setUp();
      const model = new Model();
      const observer = new Observer();
      const observerId = hub.connect(observer, 'obs') ?? '';
      for (const name of ROOMS) await hub.join(observerId, name, {});
      for (const next of steps) {
        const before = ROOMS.map((name) => model.totals(name));
        const told = observer.presences.length;
        const connected = 'slot' in next ? model.slots.get(next.slot) : undefined;
        if (next.kind === 'connect' && connected === undefined) {
          const id = hub.connect(new Observer(), SLOTS[next.slot] ?? '') ?? '';
          model.slots.set(next.slot, { id, rooms: new Set() });
        } else if (next.kind === 'disconnect' && connected !== undefined) {
          hub.disconnect(connected.id, 'left');
          model.slots.delete(next.slot);
        } else if (next.kind === 'join' && connected !== undefined) {
          t.like(await hub.join(connected.id, next.room, {}), { kind: 'joined' });
          connected.rooms.add(next.room);
        } else if (next.kind === 'leave' && connected !== undefined) {
          hub.leave(connected.id, next.room);
          connected.rooms.delete(next.room);
        } else if (next.kind === 'report') {
          engine.report(next.node, next.room, next.name, next.connections);
          model.reported.set(`${next.node}/${next.room}/${next.name}`, next.connections);
        }
        const heard = observer.presences.slice(told);
        ROOMS.forEach((name, index) => {
          const now = model.totals(name);
          t.deepEqual(hub.members(name), asMembers(now), JSON.stringify(next));
          const expected = crossings(name, before[index] ?? new Map(), now);
          const inRoom = heard.filter((change) => change.room === name);
          t.deepEqual(
            inRoom.sort((x, y) => x.name.localeCompare(y.name)),
            expected,
            JSON.stringify(next),
          );
          for (const user of NAMES) t.is(engine.lastAnnounced(name, user), model.here(name, user));
        });
      }
    }),
    { numRuns: 200 },
  );
});
