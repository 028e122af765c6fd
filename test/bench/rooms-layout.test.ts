// The rooms scenario's layout and scale: which connection joins which room, who sends, and
// which limits the server is started with.
import test from 'ava';
import fc from 'fast-check';
import { nodeOf, roomsLayout } from '../../bench/load/rooms-layout.ts';
import { ROOMS, roomsServerFlags, roomsShapes } from '../../bench/scenarios.ts';

const membersByRoom = (roomNames: readonly string[]): Map<string, number[]> => {
  const rooms = new Map<string, number[]>();
  roomNames.forEach((name, member) => {
    rooms.set(name, [...(rooms.get(name) ?? []), member]);
  });
  return rooms;
};

test('at the size of issue 12: 10,000 connections in 1,000 rooms of 10, 100 of them active, against 1,000 in those 100', (t) => {
  const { wide, narrow } = roomsShapes(1);
  const all = roomsLayout(wide);
  const active = roomsLayout(narrow);
  t.is(all.rooms, 1_000);
  t.is(all.roomNames.length, 10_000);
  t.is(active.rooms, 100);
  t.is(active.roomNames.length, 1_000);
  t.is(all.senders.length, 100);
  t.is(active.senders.length, 100);
  const activeNames = (layout: typeof all) =>
    new Set(layout.senders.map((member) => layout.roomNames[member]));
  t.deepEqual(activeNames(all), activeNames(active));
  t.is(all.senderOf.filter((sender) => sender >= 0).length, 1_000);
});

test('every room holds roomSize connections; an active room has one sender, owed by each member and no one else', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 20 }),
      (roomSize, stride, activeRooms) => {
        const connections = roomSize * stride * activeRooms;
        const layout = roomsLayout({ connections, roomSize, activeRooms });
        const rooms = membersByRoom(layout.roomNames);
        t.is(rooms.size, stride * activeRooms);
        for (const members of rooms.values()) t.is(members.length, roomSize);
        t.is(layout.senders.length, activeRooms);
        layout.senders.forEach((senderMember, sender) => {
          const members = rooms.get(layout.roomNames[senderMember] as string) ?? [];
          t.true(members.includes(senderMember));
          for (const member of members) t.is(layout.senderOf[member], sender);
        });
        const owed = [...layout.senderOf].filter((sender) => sender >= 0).length;
        t.is(owed, activeRooms * roomSize);
      },
    ),
    { numRuns: 200 },
  );
});

test('connections that do not make whole rooms, or rooms that do not spread evenly, are refused', (t) => {
  t.throws(() => roomsLayout({ connections: 95, roomSize: 10, activeRooms: 1 }));
  t.throws(() => roomsLayout({ connections: 100, roomSize: 10, activeRooms: 3 }));
  t.throws(() => roomsLayout({ connections: 100, roomSize: 10, activeRooms: 0 }));
});

test('a smaller scale shrinks both hubs alike and keeps ten idle rooms per active one', (t) => {
  fc.assert(
    fc.property(fc.double({ min: 0.001, max: 1, noNaN: true }), (scale) => {
      const { wide, narrow } = roomsShapes(scale);
      t.is(wide.activeRooms, narrow.activeRooms);
      t.is(wide.roomSize, ROOMS.roomSize);
      t.is(narrow.connections, narrow.activeRooms * ROOMS.roomSize);
      t.is(
        wide.connections,
        narrow.connections * (ROOMS.connections / ROOMS.roomSize / ROOMS.activeRooms),
      );
      t.notThrows(() => roomsLayout(wide));
    }),
  );
  t.deepEqual(roomsShapes(0.1).wide, { connections: 1_000, roomSize: 10, activeRooms: 10 });
  for (const scale of [0, -1, 1.5, Number.NaN]) t.throws(() => roomsShapes(scale));
});

test("the server's limits admit every connection, every join at once and every sender's rate, and no more than needed", (t) => {
  const { wide } = roomsShapes(1);
  const flags = roomsServerFlags(wide);
  const value = (flag: string): number => Number(flags[flags.indexOf(flag) + 1]);
  const messagesPerSecond = wide.activeRooms * ROOMS.messagesPerSender;
  t.true(value('--max-connections') >= wide.connections);
  t.true(value('--max-connections') <= wide.connections * 1.1);
  t.is(value('--max-connections-per-ip'), value('--max-connections'));
  t.true(value('--rate-limit') > ROOMS.messagesPerSender);
  // The per-address budget allows twice its rate at once: every join, then the senders' rate.
  t.true(2 * value('--rate-limit-per-ip') >= wide.connections);
  t.true(value('--rate-limit-per-ip') > messagesPerSecond);
  t.true(value('--max-rooms') >= wide.connections / wide.roomSize);
});

test('spread over servers, every room has its members split evenly between them, and the senders too', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
      (nodes, perNode, perNodeSenders, stride) => {
        // Rooms whose size, and active rooms whose number, are multiples of the servers, as in
        // the cluster scenario.
        const roomSize = nodes * perNode;
        const activeRooms = nodes * perNodeSenders;
        const shape = { connections: activeRooms * stride * roomSize, roomSize, activeRooms };
        const layout = roomsLayout(shape);
        const serverOf = nodeOf(shape, nodes);
        const tally = (members: readonly number[]): number[] => {
          const counts = Array.from({ length: nodes }, () => 0);
          for (const member of members)
            counts[serverOf(member)] = (counts[serverOf(member)] ?? 0) + 1;
          return counts;
        };
        for (const members of membersByRoom(layout.roomNames).values()) {
          t.deepEqual(
            tally(members),
            Array.from({ length: nodes }, () => perNode),
          );
        }
        t.deepEqual(
          tally(layout.senders),
          Array.from({ length: nodes }, () => perNodeSenders),
        );
      },
    ),
    { numRuns: 200 },
  );
  const wide = roomsShapes(0.5).wide;
  const serverOf = nodeOf(wide, 2);
  // The first two active rooms (0 and 10 of rooms of ten): senders 0 and 100, on both servers.
  t.deepEqual([0, 1, 2, 3, 100, 101, 102, 10, 11].map(serverOf), [0, 1, 0, 1, 1, 0, 1, 1, 0]);
  t.is(nodeOf(wide, 1)(12_345 % wide.connections), 0);
});
