import type { ConnectionId, DepartureReason, Seq } from '../../domain/index.ts';
import type { Epoch, PresenceChange, RoomName } from '../../domain/rooms/index.ts';
import type { RoomMessage } from '../ports/engine.port.ts';
import type { Peer } from '../ports/transport.port.ts';
import type { PublishResult, Session, TransportDeparture } from '../session.ts';
import type { RoomFeed } from './room-feed.ts';
import type { RoomPeer } from './room-peer.ts';
import type { Joined } from './room-results.ts';
import type { RoomsHub } from './rooms-hub.ts';

/**
 * A connection of a one-room transport (plain, hubbub.v1, SSE, TCP) on the rooms hub: to the
 * hub it is a peer in one room, to the transport its session.
 */
export class RoomSession implements Session, RoomPeer {
  /** Set when the hub registers the connection, before it joins. */
  id: ConnectionId = '';
  #entry: Joined | undefined;
  #joinedAfter: Seq = 0;
  /** The room's feed here, from the join on: what the connection reads. */
  #feed: RoomFeed | undefined;
  #ended = false;

  constructor(
    private readonly hub: RoomsHub,
    private readonly peer: Peer,
    readonly room: RoomName,
    readonly name: string,
    private readonly maxMessageBytes: number,
  ) {}

  get transport(): string {
    return this.peer.transport;
  }

  get remote(): string {
    return this.peer.remote;
  }

  get showsPresence(): boolean {
    return this.peer.showsPresence === true;
  }

  takeEntry(): Joined | undefined {
    const entry = this.#entry;
    this.#entry = undefined;
    return entry;
  }

  get joinedAfter(): Seq {
    return this.#joinedAfter;
  }

  get head(): Seq {
    return this.#feed?.delivered ?? 0;
  }

  get isOpen(): boolean {
    return !this.#ended;
  }

  publish(text: string): PublishResult {
    if (Buffer.byteLength(text, 'utf8') > this.maxMessageBytes) return 'too-large';
    if (!this.isOpen) return 'closed';
    // The hub takes the send in the order of the calls; a failed store is logged there.
    void this.hub.send(this.id, this.room, text);
    return 'published';
  }

  read(after: Seq, max: number): readonly RoomMessage[] {
    return this.#feed?.readDelivered(after, max) ?? [];
  }

  acknowledge(upTo: Seq): void {
    this.hub.acknowledge(this.id, this.room, upTo);
  }

  leave(reason: TransportDeparture, detail?: string): void {
    this.#ended = true;
    this.hub.disconnect(this.id, reason, detail);
  }

  // The hub's side (RoomPeer).

  joined(room: RoomName, answer: Joined): void {
    this.#entry = answer;
    this.#joinedAfter = answer.seq;
    this.#feed = this.hub.feedOf(room);
  }

  wake(_room: RoomName, head: Seq): void {
    this.peer.wake(head);
  }

  renumbered(_room: RoomName, epoch: Epoch): void {
    // A transport that has not started delivering yet starts at the new numbering's start.
    this.#joinedAfter = 0;
    this.peer.renumbered(epoch);
  }

  presence(change: PresenceChange): void {
    this.peer.presence?.(change);
  }

  close(reason: DepartureReason, detail?: string): void {
    this.#ended = true;
    this.peer.close(reason, detail);
  }
}
