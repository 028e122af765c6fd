import type { ConnectionId, DepartureReason, Seq } from '../../domain/index.ts';
import {
  type EmptyTable,
  initialRoomsState,
  isRoomName,
  type JoinRequest,
  joinRefusal,
  type Member,
  type RoomName,
  type RoomsEvent,
  type RoomsState,
} from '../../domain/rooms/index.ts';
import { ConnectionJournal } from '../connection-journal.ts';
import type { Clock } from '../ports/clock.port.ts';
import { type Engine, RoomLimitError, type RoomMessage } from '../ports/engine.port.ts';
import type { Logger } from '../ports/logger.port.ts';
import type { Metrics } from '../ports/metrics.port.ts';
import { engineJoin } from './engine-join.ts';
import type { RoomFeed } from './room-feed.ts';
import { RoomFeeds } from './room-feeds.ts';
import { closeMembersAfterGap } from './room-gap.ts';
import type { RoomPeer } from './room-peer.ts';
import { type JoinResult, refused, type SendResult } from './room-results.ts';
import { applyRoomsEffect, type EffectHost } from './rooms-effects.ts';
import { RoomsMachine } from './rooms-machine.ts';
import { RoomsPresence } from './rooms-presence.ts';
import { storeSend } from './store-send.ts';

const OVERFLOW = 'send_buffer_full';

export type RoomsHubSettings = Readonly<{
  sendBuffer: number;
  maxRoomsPerConnection: number;
  maxMessageBytes: number;
  /** How long a join waits for the engine: `JOIN_TIMEOUT_MS` unless a test says otherwise. */
  joinTimeoutMs?: number | undefined;
}>;

/**
 * The rooms use case: runs the pure rooms core with an engine. Each room with members here has
 * a feed, subscribed to the engine, that the members' transports read from; the core decides
 * who gets what and who is evicted, and this turns its events into effects on peers.
 */
export class RoomsHub {
  private readonly machine: RoomsMachine;
  private readonly peers = new Map<ConnectionId, RoomPeer>();
  private readonly leaving = new Set<ConnectionId>();
  private readonly effectHost: EffectHost;
  private readonly feeds: RoomFeeds;
  private readonly presence: RoomsPresence;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly settings: RoomsHubSettings,
    private readonly engine: Engine,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    empty: EmptyTable,
  ) {
    const roomEmptied = (room: RoomName) => this.dropFeedIfUnused(room);
    const headMoved = (room: RoomName, head: Seq) => this.feeds.headMoved(room, head);
    this.presence = new RoomsPresence(engine, this.peers, () => this.state);
    const { peers, leaving, presence } = this;
    const journal = new ConnectionJournal(logger, metrics);
    this.effectHost = { peers, leaving, journal, presence, roomEmptied, headMoved };
    this.machine = new RoomsMachine(
      initialRoomsState(settings.sendBuffer, settings.maxRoomsPerConnection, empty),
      (before, after, event) => applyRoomsEffect(this.effectHost, before, after, event),
      (event, error) => logger.error('hub listener failed', { event, error: String(error) }),
    );
    this.feeds = new RoomFeeds(engine, settings.sendBuffer + 1, logger, {
      deliver: (message: RoomMessage) => this.deliver(message),
      gap: (room: RoomName) => closeMembersAfterGap(this.machine, logger, room, clock.now()),
      watch: (room: RoomName) => presence.watch(room),
    });
  }

  get state(): RoomsState {
    return this.machine.state;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get storeAvailable(): boolean {
    return this.engine.available;
  }

  /** The room's head here; while its last member is closed still that, for a last delivery. */
  headOf(room: RoomName): Seq {
    return this.feeds.get(room)?.delivered ?? 0;
  }

  /** Every event, in the order it was applied; returns an unsubscribe function. */
  subscribe(listener: (event: RoomsEvent) => void): () => void {
    return this.machine.subscribe(listener);
  }

  /** Registers a connection under a user name; `undefined` once shutdown has begun. */
  connect(peer: RoomPeer, name: string): ConnectionId | undefined {
    if (this.closed) return undefined;
    const connectionId = `c${this.nextId++}`;
    this.peers.set(connectionId, peer);
    this.machine.execute({ type: 'Register', connectionId, name, at: this.clock.now() });
    this.effectHost.journal.opened(connectionId, peer);
    return connectionId;
  }

  async join(
    connectionId: ConnectionId,
    room: RoomName,
    request: JoinRequest,
    withMembers = true,
  ): Promise<JoinResult> {
    if (!isRoomName(room)) return refused('bad_room');
    if (!this.state.connections.has(connectionId)) return refused('closed');
    const at = this.clock.now();
    const probe = { type: 'Join', connectionId, room, epoch: '', seq: 0, at } as const;
    if (joinRefusal(this.state, probe) !== undefined) return refused('too_many_rooms');
    let listening = false;
    try {
      // The feed listens before the engine is read: nothing stored after the read is missed.
      this.feeds.joinStarted(room);
      listening = true;
      const answer = await engineJoin(this.engine, this.feeds, room, request, this.settings);
      if (!this.state.connections.has(connectionId)) return refused('closed');
      // Other joins of this connection may have taken effect while this one waited.
      const again = this.isIn(connectionId, room);
      if (!again && joinRefusal(this.state, probe) !== undefined) return refused('too_many_rooms');
      // More was stored while the engine answered than the feed keeps: it would start after a gap.
      if (!again && this.feeds.get(room)?.holdsAfter(answer.epoch, answer.seq) === false) {
        const detail = 'fell behind while joining';
        this.machine.execute({ type: 'Unregister', connectionId, reason: OVERFLOW, at, detail });
        return refused('closed');
      }
      const where = { epoch: answer.epoch, seq: answer.seq, at: this.clock.now() };
      if (!again) this.machine.execute({ ...probe, ...where });
      if (!this.isIn(connectionId, room)) return refused('closed'); // evicted by the join itself
      const joined: JoinResult = {
        kind: 'joined',
        ...answer,
        members: withMembers ? this.presence.members(room) : [],
      };
      // The peer hears of its join before any message of the room can wake it.
      this.peers.get(connectionId)?.joined(room, joined);
      this.feeds.catchUp(room, () => this.state.rooms.get(room));
      // Messages the room got here between the engine's answer and now are for the joiner too.
      const head = this.headOf(room);
      if (head > answer.seq) this.peers.get(connectionId)?.wake(room, head);
      return joined;
    } catch (error) {
      if (error instanceof RoomLimitError) return refused('too_many_rooms');
      this.logger.error('join failed', { room, error: String(error) });
      return refused('unavailable');
    } finally {
      if (listening) this.feeds.joinEnded(room);
      this.dropFeedIfUnused(room);
    }
  }

  leave(connectionId: ConnectionId, room: RoomName): boolean {
    if (!this.isIn(connectionId, room)) return false;
    this.machine.execute({ type: 'Leave', connectionId, room, at: this.clock.now() });
    return true;
  }

  async send(
    connectionId: ConnectionId,
    room: RoomName,
    text: string,
    id?: string,
  ): Promise<SendResult> {
    const name = this.state.connections.get(connectionId)?.name;
    if (name === undefined || this.closed) return refused('closed');
    if (!this.isIn(connectionId, room)) return refused('not_joined');
    return this.post(room, name, text, id);
  }

  /** A message from no connection (an HTTP request) as the user `from`. */
  post(room: RoomName, from: string, text: string, id?: string): Promise<SendResult> {
    if (this.closed) return Promise.resolve(refused('closed'));
    if (!isRoomName(room)) return Promise.resolve(refused('bad_room'));
    const draft = { room, text, from, at: this.clock.now(), ...(id === undefined ? {} : { id }) };
    return storeSend(this.engine, this.logger, this.settings.maxMessageBytes, draft);
  }

  history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]> {
    return this.engine.history(room, limit, before);
  }

  /** Who is in `room` on every process. */
  members(room: RoomName): readonly Member[] {
    return this.presence.members(room);
  }

  /** The feed of a room with members here (or a join on its way), which they read from. */
  feedOf(room: RoomName): RoomFeed | undefined {
    return this.feeds.get(room);
  }

  /** Up to `max` messages of `room` after `after`, for a member, as far as the core has delivered. */
  read(room: RoomName, after: Seq, max: number): readonly RoomMessage[] {
    return this.feeds.get(room)?.readDelivered(after, max) ?? [];
  }

  /** What a transport reports is never a rule broken: an ack past the room here is ignored. */
  acknowledge(connectionId: ConnectionId, room: RoomName, upTo: Seq): void {
    if (upTo > this.headOf(room)) return;
    this.machine.execute({ type: 'Acknowledge', connectionId, room, upTo, at: this.clock.now() });
  }

  /** The transport ended the connection; never throws (transports call it from socket callbacks). */
  disconnect(connectionId: ConnectionId, reason: DepartureReason, detail?: string): void {
    if (!this.peers.has(connectionId) || this.leaving.has(connectionId)) return;
    this.leaving.add(connectionId);
    const at = this.clock.now();
    const command = { type: 'Unregister', connectionId, reason, at } as const;
    try {
      this.machine.execute(detail === undefined ? command : { ...command, detail });
    } catch (e) {
      this.logger.error('leaving the hub failed', { connection: connectionId, error: String(e) });
    }
  }

  /** Stops taking connections and removes every registered one with reason `shutdown`. */
  shutdown(): void {
    this.closed = true;
    for (const connectionId of [...this.state.connections.keys()]) {
      const at = this.clock.now();
      this.machine.execute({ type: 'Unregister', connectionId, reason: 'shutdown', at });
    }
  }

  private isIn(connectionId: ConnectionId, room: RoomName): boolean {
    return this.state.connections.get(connectionId)?.cursors.has(room) === true;
  }

  private deliver({ room, epoch, seq }: RoomMessage): void {
    const started = performance.now();
    this.machine.execute({ type: 'Publish', room, epoch, seq, at: this.clock.now() });
    this.metrics.fanOut((performance.now() - started) / 1000);
  }

  private dropFeedIfUnused(room: RoomName): void {
    this.feeds.dropUnless(room, this.state.rooms.has(room));
  }
}
