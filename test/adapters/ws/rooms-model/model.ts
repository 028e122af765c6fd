import type fc from 'fast-check';
import type { RoomsHub } from '../../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../../src/app/tokens.ts';
import { type RunningServer, startServer } from '../../../support/start-server.ts';
import { V2TestClient } from '../../support/v2-client.ts';
import { waitUntil } from '../../support/ws-client.ts';
import { namesSeen } from './presence-view.ts';

export const NAMES = ['ann', 'bob', 'cat'] as const;
export const ROOMS = ['a', 'b'] as const;
export type Name = (typeof NAMES)[number];
export type RoomId = (typeof ROOMS)[number];

/**
 * The server's limits in this test (the history size is each program's own). SEND_BUFFER
 * messages pending evict a connection; a reader that stops is evicted once the kernel's socket
 * buffers (a few MB on loopback) are full too, which FLOOD_BYTES messages do in a handful.
 */
export const SEND_BUFFER = 2;
export const FLOOD_BYTES = 1_000_000;

/** A send with a client id, as the model remembers it for repeating it. */
export type SentWithId = Readonly<{ name: Name; room: RoomId; id: string; seq: number }>;

/** How often each kind of thing happened in a program: the test reports them. */
export type Tally = {
  evictions: number;
  repeats: number;
  recovered: number;
  recoveredAfterEviction: number;
  notRecovered: number;
};

/** What the test expects: each room's messages, and where each client is. */
export type RoomsModel = {
  /** A room keeps its last `historySize` messages: a client that missed more is not recovered. */
  historySize: number;
  messages: Record<RoomId, string[]>;
  clients: Record<
    Name,
    {
      connected: boolean;
      /** Cut by an eviction, not resumed since. */
      evicted: boolean;
      /** Per room joined: the seq of the last message the client has. */
      rooms: Map<RoomId, number>;
    }
  >;
  sentWithIds: SentWithId[];
  tally: Tally;
};

/** One client as the test drives it: its connection, and how much of each room it has read. */
export type RealClient = {
  connection: V2TestClient | undefined;
  /** Per room: messages of the current connection already checked. */
  checked: Map<RoomId, number>;
};

export type RoomsReal = {
  server: RunningServer;
  rooms: RoomsHub;
  epochs: Partial<Record<RoomId, string>>;
  clients: Record<Name, RealClient>;
};

export type RoomsCommand = fc.AsyncCommand<RoomsModel, RoomsReal>;

/** The client's connection; a command runs only where the model has it connected. */
export const connectionOf = (real: RoomsReal, name: Name): V2TestClient => {
  const connection = real.clients[name].connection;
  if (connection === undefined) throw new Error(`${name} is not connected`);
  return connection;
};

export const openClient = async (real: RoomsReal, name: Name): Promise<V2TestClient> => {
  const connection = await V2TestClient.open(real.server.wsUrl, `?name=${name}`);
  real.clients[name] = { connection, checked: new Map() };
  return connection;
};

/** Whether the model has `name` connected and in `room`. */
export const isIn = (model: Readonly<RoomsModel>, name: Name, room: RoomId): boolean =>
  model.clients[name].connected && model.clients[name].rooms.has(room);

/** The names with a connection in `room`, as the model has it, sorted. */
export const namesIn = (model: Readonly<RoomsModel>, room: RoomId): Name[] =>
  NAMES.filter((name) => isIn(model, name, room));

/**
 * Waits until presence in `room` is what the model says, as the server lists it and as each
 * member sees it from its `joined` and the `member_joined` / `member_left` items after it.
 */
export const presenceSettles = async (
  model: RoomsModel,
  real: RoomsReal,
  room: RoomId,
): Promise<void> => {
  const expected = JSON.stringify(namesIn(model, room));
  await waitUntil(
    () => JSON.stringify(real.rooms.members(room).map((m) => m.name)) === expected,
    () => `members of ${room}: ${JSON.stringify(real.rooms.members(room))} to be ${expected}`,
  );
  for (const member of namesIn(model, room)) {
    const connection = connectionOf(real, member);
    await waitUntil(
      () => JSON.stringify(namesSeen(connection, room)) === expected,
      () =>
        `${member} to see ${expected} in ${room}, not ${JSON.stringify(namesSeen(connection, room))}`,
    );
  }
};

/** A new server and every client connected; the model starts empty. */
export const setup = async (historySize: number) => {
  const server = await startServer({
    batchWindowMs: 0,
    historySize,
    sendBuffer: SEND_BUFFER,
    maxMessageBytes: 2 * FLOOD_BYTES,
    maxRoomsPerConnection: 2,
  });
  const real: RoomsReal = {
    server,
    rooms: server.container.get<RoomsHub>(TOKENS.RoomsHub),
    epochs: {},
    clients: {
      ann: { connection: undefined, checked: new Map() },
      bob: { connection: undefined, checked: new Map() },
      cat: { connection: undefined, checked: new Map() },
    },
  };
  for (const name of NAMES) await openClient(real, name);
  const fresh = () => ({ connected: true, evicted: false, rooms: new Map<RoomId, number>() });
  const model: RoomsModel = {
    historySize,
    messages: { a: [], b: [] },
    clients: { ann: fresh(), bob: fresh(), cat: fresh() },
    sentWithIds: [],
    tally: { evictions: 0, repeats: 0, recovered: 0, recoveredAfterEviction: 0, notRecovered: 0 },
  };
  return { model, real };
};
