import type { ConnectionId, Seq } from '../../domain/index.ts';
import type { RoomName, RoomsEvent, RoomsState } from '../../domain/rooms/index.ts';
import type { ConnectionJournal } from '../connection-journal.ts';
import type { RoomPeer } from './room-peer.ts';
import type { RoomsPresence } from './rooms-presence.ts';

export type EffectHost = Readonly<{
  peers: Map<ConnectionId, RoomPeer>;
  /** Connections whose transport reported the departure: they are not closed again. */
  leaving: Set<ConnectionId>;
  journal: ConnectionJournal;
  /** Who is in each room across processes, and who is told of it. */
  presence: RoomsPresence;
  /** A room may have lost its last member here. */
  roomEmptied: (room: RoomName) => void;
  /** The room's head here moved: its feed keeps a copy for the members to read up to. */
  headMoved: (room: RoomName, head: Seq) => void;
}>;

/** The room's head here, as the core now has it, to its feed. */
const headHere = (host: EffectHost, after: RoomsState, room: RoomName): void => {
  const head = after.rooms.get(room)?.head;
  if (head !== undefined) host.headMoved(room, head);
};

/**
 * What an event does outside the core: presence to the other members of the room (and to the
 * engine), a wake for every member of a broadcast's room (the work is in proportion to the
 * room), the news of a renumbering to every member of the room, a close for a connection the
 * core removed (unless its transport reported it), and feeds let go.
 */
export const applyRoomsEffect = (
  host: EffectHost,
  before: RoomsState,
  after: RoomsState,
  event: RoomsEvent,
): void => {
  switch (event.type) {
    case 'Broadcast':
      // The room's new head first: a woken member reads up to it. No one's presence changes.
      host.headMoved(event.room, event.seq);
      after.rooms.get(event.room)?.members.forEach((_, member) => {
        host.peers.get(member)?.wake(event.room, event.seq);
      });
      return;
    case 'Renumbered':
      headHere(host, after, event.room);
      // After the head moved to the new numbering's start, before its first message wakes anyone.
      after.rooms.get(event.room)?.members.forEach((_, member) => {
        host.peers.get(member)?.renumbered(event.room, event.epoch);
      });
      return;
    case 'Joined':
      headHere(host, after, event.room);
      host.presence.follow(before, after, event);
      return;
    case 'Unregistered': {
      host.presence.follow(before, after, event);
      const peer = host.peers.get(event.connectionId);
      host.peers.delete(event.connectionId);
      const registeredAt = before.connections.get(event.connectionId)?.registeredAt ?? event.at;
      if (peer !== undefined) host.journal.closed(peer, event, registeredAt);
      if (!host.leaving.delete(event.connectionId)) peer?.close(event.reason, event.detail);
      for (const room of before.connections.get(event.connectionId)?.cursors.keys() ?? []) {
        host.roomEmptied(room);
      }
      return;
    }
    case 'Left':
      host.presence.follow(before, after, event);
      host.roomEmptied(event.room);
      return;
    case 'Registered':
    case 'Overflowed':
    case 'Acknowledged':
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
    }
  }
};
