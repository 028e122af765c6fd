import type fc from 'fast-check';
import type { RoomsHub } from '../../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../../src/app/tokens.ts';
import { type RunningServer, startServer } from '../../../support/start-server.ts';
import { V2TestClient } from '../../support/v2-client.ts';
import { waitUntil } from '../../support/ws-client.ts';

export const NAMES = ['ann', 'bob', 'cat'] as const;
export const ROOMS = ['a', 'b'] as const;
export type Name = (typeof NAMES)[number];
export type RoomId = (typeof ROOMS)[number];

/** What the test expects: each room's messages, and where each client is. */
export type RoomsModel = {
  messages: Record<RoomId, string[]>;
  clients: Record<Name, { connected: boolean; rooms: Map<RoomId, number> }>;
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

export const openClient = async (real: RoomsReal, name: Name): Promise<V2TestClient> => {
  const connection = await V2TestClient.open(real.server.wsUrl, `?name=${name}`);
  real.clients[name] = { connection, checked: new Map() };
  return connection;
};

/** The names the server lists in `room`, and those the model says are there, once they agree. */
export const presenceSettles = (
  model: RoomsModel,
  real: RoomsReal,
  room: RoomId,
): Promise<unknown> => {
  const expected = NAMES.filter(
    (name) => model.clients[name].connected && model.clients[name].rooms.has(room),
  );
  return waitUntil(
    () => JSON.stringify(real.rooms.members(room).map((m) => m.name)) === JSON.stringify(expected),
    () =>
      `members of ${room}: ${JSON.stringify(real.rooms.members(room))} to be ${JSON.stringify(expected)}`,
  );
};

/** A new server and every client connected; the model starts empty. */
export const setup = () => async () => {
  const server = await startServer({
    batchWindowMs: 0,
    historySize: 1_000,
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
  const model: RoomsModel = {
    messages: { a: [], b: [] },
    clients: {
      ann: { connected: true, rooms: new Map() },
      bob: { connected: true, rooms: new Map() },
      cat: { connected: true, rooms: new Map() },
    },
  };
  return { model, real };
};
