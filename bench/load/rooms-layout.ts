// Where the connections of the rooms scenario sit: rooms of `roomSize` consecutive connections,
// of which every (rooms / activeRooms)-th is active, so the active rooms are spread over the
// hub; the first member of an active room is its sender. Active rooms have the same names
// whatever the number of idle ones, so two runs differ only in the idle rooms.

export type RoomsShape = Readonly<{ connections: number; roomSize: number; activeRooms: number }>;

export type RoomsLayout = Readonly<{
  rooms: number;
  /** The room each connection joins, by connection index. */
  roomNames: readonly string[];
  /** The connection index of each active room's sender, by sender index. */
  senders: readonly number[];
  /** For each connection, the sender whose messages it is owed (-1: an idle room). */
  senderOf: Int32Array;
}>;

export const roomsLayout = ({ connections, roomSize, activeRooms }: RoomsShape): RoomsLayout => {
  const rooms = connections / roomSize;
  const stride = rooms / activeRooms;
  if (!Number.isInteger(rooms) || !Number.isInteger(stride) || activeRooms < 1) {
    throw new Error(
      `${connections} connections must make whole rooms of ${roomSize}, a whole multiple of ${activeRooms} active rooms`,
    );
  }
  const roomNames: string[] = [];
  const senders: number[] = [];
  const senderOf = new Int32Array(connections).fill(-1);
  for (let room = 0; room < rooms; room++) {
    const active = room % stride === 0;
    const sender = room / stride;
    const name = active ? `active-${sender}` : `idle-${room}`;
    const first = room * roomSize;
    if (active) senders.push(first);
    for (let member = first; member < first + roomSize; member++) {
      roomNames.push(name);
      if (active) senderOf[member] = sender;
    }
  }
  return { rooms, roomNames, senders, senderOf };
};

/**
 * Which server (of `nodes`) each connection opens to: the members of a room alternate between
 * them, and so do the active rooms' senders (the first member), so every room is on every
 * server and every server publishes.
 */
export const nodeOf = (
  { connections, roomSize, activeRooms }: RoomsShape,
  nodes: number,
): ((index: number) => number) => {
  const stride = connections / roomSize / activeRooms;
  return (index) => {
    const room = Math.floor(index / roomSize);
    // An active room starts from its sender's ordinal: consecutive senders, other servers.
    const first = room % stride === 0 ? room / stride : room;
    return (first + (index % roomSize)) % nodes;
  };
};
