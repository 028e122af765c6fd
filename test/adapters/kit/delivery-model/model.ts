import assert from 'node:assert/strict';
import type fc from 'fast-check';
import type { Hub } from '../../../../src/app/ports/transport.port.ts';
import type { RoomsHub } from '../../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../../src/composition-root.ts';
import type { Seq } from '../../../../src/domain/index.ts';
import { RecordingLogger } from '../../../support/recording-logger.ts';
import { FakeConnection, type FakeSettings, fakeSettings } from '../support/fake-connection.ts';

export const NAMES = ['ann', 'bob', 'cat'] as const;
export type Name = (typeof NAMES)[number];

/** How a client's registration ended. */
export type Ending = 'evicted' | 'hung up' | 'refused' | 'shutdown';

/** One connection (a name may connect again once its previous connection has ended). */
export type ClientModel = {
  readonly name: Name;
  /** The last broadcast before it joined. */
  readonly joinedAfter: Seq;
  /** The last broadcast made while it was registered, once it no longer is. */
  until?: Seq;
  ending?: Ending;
  stalled: boolean;
  /**
   * It has stalled since its writes last all completed with its socket reading: only such a
   * client may fall behind, and be evicted. One that always drains promptly never is.
   */
  behind: boolean;
  /** It was `behind` when its registration ended. */
  behindAtEnd?: boolean;
};

export type DeliveryModel = {
  readonly sendBuffer: number;
  readonly highWaterBytes: number;
  readonly takeEagerlyAfter: number;
  /** Every broadcast's text, broadcast `seq` at index `seq - 1`. */
  readonly broadcasts: string[];
  /** Every connection made, in order. */
  readonly clients: ClientModel[];
  shutDown: boolean;
  /** What this run got to, for the test's tally of what the generator reaches. */
  readonly reached: Set<string>;
};

/** Every connection of the model is in this room. */
export const ROOM = 'lobby';

/**
 * The real rooms hub (and the gateway the one-room transports connect through), with the fake
 * connections made, index for index with `model.clients`.
 */
export type DeliverySystem = {
  readonly hub: RoomsHub;
  readonly gateway: Hub;
  readonly settings: FakeSettings;
  readonly logger: RecordingLogger;
  readonly connections: FakeConnection[];
};

/**
 * Async because a connection's join is (the hub asks the engine where the room is); each command
 * is awaited before the next runs, and only a connect awaits anything, so no command overlaps
 * another and a burst of broadcasts still happens in one turn.
 */
export type DeliveryCommand = fc.AsyncCommand<DeliveryModel, DeliverySystem>;

/** The longest line a broadcast of the tests makes (`seq.` and up to 12 bytes of padding). */
export const MAX_PADDING = 12;
export const MAX_LINE_BYTES = 4 + 1 + MAX_PADDING + 1;

export const textOf = (seq: Seq, padding: number): string => `${seq}.${'x'.repeat(padding)}`;

/**
 * The send buffer, and how far past `takeEagerlyAfter` lines the high-water mark is. It is
 * never below that: with a lower mark, a connection that reads fills its outbox to the mark
 * with fewer broadcasts than it writes at once, so it waits for the window to close, and a
 * send buffer's worth broadcast within one window evicts it. (The real mark, 64 KiB, is above
 * the 16 KiB a connection writes at once, which rules this out.)
 */
export type Sizes = Readonly<{ sendBuffer: number; highWaterExtraBytes: number }>;

export const setup = (sizes: Sizes): { model: DeliveryModel; real: DeliverySystem } => {
  const logger = new RecordingLogger();
  const { sendBuffer } = sizes;
  const container = createContainer(defaultSettings({ sendBuffer }), { logger });
  const base = fakeSettings({ sendBuffer, highWaterBytes: 0, logger });
  const highWaterBytes = base.takeEagerlyAfter * MAX_LINE_BYTES + sizes.highWaterExtraBytes;
  const settings = { ...base, highWaterBytes };
  return {
    model: {
      sendBuffer,
      highWaterBytes,
      takeEagerlyAfter: settings.takeEagerlyAfter,
      broadcasts: [],
      clients: [],
      shutDown: false,
      reached: new Set(),
    },
    real: {
      hub: container.get<RoomsHub>(TOKENS.RoomsHub),
      gateway: container.get<Hub>(TOKENS.Hub),
      settings,
      logger,
      connections: [],
    },
  };
};

/** The registered connection of `name`, if there is one, and where it is kept. */
export const currentOf = (model: Readonly<DeliveryModel>, name: Name): number =>
  model.clients.findIndex((client) => client.name === name && client.ending === undefined);

export const isRegistered = (model: Readonly<DeliveryModel>, name: Name): boolean =>
  currentOf(model, name) !== -1;

/** Connects and joins `ROOM`, awaited to the end: nothing else happens meanwhile. */
export const connect = async (
  model: DeliveryModel,
  real: DeliverySystem,
  name: Name,
): Promise<void> => {
  const connection = new FakeConnection(real.settings, `${name}#${model.clients.length}`);
  const session = await real.gateway.connect(connection, { room: ROOM, name });
  assert.equal(session.joinedAfter, model.broadcasts.length, `${connection.name} joined after`);
  connection.attach(session);
  real.connections.push(connection);
  model.clients.push({ name, joinedAfter: model.broadcasts.length, stalled: false, behind: false });
};

/** The client's registration ended now, for `ending`. */
export const end = (
  model: DeliveryModel,
  client: ClientModel,
  ending: Ending,
  until: Seq,
): void => {
  client.ending = ending;
  model.reached.add(client.behind ? `${ending} while behind` : ending);
  client.until = until;
  client.behindAtEnd = client.behind;
  client.stalled = false;
};
