import type { ConnectionId } from '../../domain/index.ts';
import type { RoomName, RoomsEvent, RoomsState } from '../../domain/rooms/index.ts';

/**
 * Per room, the members here that show presence (hubbub.v2 clients, SSE `?format=v2`): a name
 * coming or going is told to them alone, so a room of thousands of plain clients costs nothing
 * per join.
 */
export class PresenceAudience {
  private readonly byRoom = new Map<RoomName, Set<ConnectionId>>();

  constructor(private readonly showsPresence: (connectionId: ConnectionId) => boolean) {}

  of(room: RoomName): ReadonlySet<ConnectionId> | undefined {
    return this.byRoom.get(room);
  }

  /** Follows the members: in on `Joined`, out on `Left` and `Unregistered`. */
  follow(before: RoomsState, event: RoomsEvent): void {
    switch (event.type) {
      case 'Joined': {
        if (!this.showsPresence(event.connectionId)) return;
        const members = this.byRoom.get(event.room) ?? new Set<ConnectionId>();
        members.add(event.connectionId);
        this.byRoom.set(event.room, members);
        return;
      }
      case 'Left':
        this.remove(event.room, event.connectionId);
        return;
      case 'Unregistered':
        for (const room of before.connections.get(event.connectionId)?.cursors.keys() ?? []) {
          this.remove(room, event.connectionId);
        }
        return;
      default:
        return;
    }
  }

  private remove(room: RoomName, connectionId: ConnectionId): void {
    const members = this.byRoom.get(room);
    if (members === undefined) return;
    members.delete(connectionId);
    if (members.size === 0) this.byRoom.delete(room);
  }
}
