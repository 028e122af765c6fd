import type { Seq } from '../../domain/index.ts';
import type { RoomName } from '../../domain/rooms/index.ts';
import type { RoomMessage } from '../ports/engine.port.ts';
import type { Hub, Peer, Placement, Post } from '../ports/transport.port.ts';
import { HubClosedError, JoinRefusedError, type Session } from '../session.ts';
import type { PostResult } from './room-results.ts';
import { RoomSession } from './room-session.ts';
import type { RoomsHub } from './rooms-hub.ts';

/** The rooms hub as the one-room transports see it (the `Hub` port). */
export class RoomsGateway implements Hub {
  constructor(
    private readonly rooms: RoomsHub,
    private readonly maxMessageBytes: number,
  ) {}

  get isClosed(): boolean {
    return this.rooms.isClosed;
  }

  get storeAvailable(): boolean {
    return this.rooms.storeAvailable;
  }

  async connect(peer: Peer, placement: Placement): Promise<Session> {
    const { room, name, members = false, ...request } = placement;
    const session = new RoomSession(this.rooms, peer, room, name, this.maxMessageBytes);
    const id = this.rooms.connect(session, name);
    if (id === undefined) throw new HubClosedError('the hub is shutting down');
    session.id = id;
    const result = await this.rooms.join(id, room, request, members);
    if (result.kind === 'joined') return session;
    if (result.reason === 'closed') throw new HubClosedError('the connection ended while joining');
    this.rooms.disconnect(id, 'dropped', `join refused: ${result.reason}`);
    throw new JoinRefusedError(result.reason);
  }

  post(post: Post): Promise<PostResult> {
    return this.rooms.post(post.room, post.name, post.text, post.id);
  }

  history(room: RoomName, limit: number, before?: Seq): Promise<readonly RoomMessage[]> {
    return this.rooms.history(room, limit, before);
  }
}
