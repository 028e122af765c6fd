import type { RoomsHub } from '../../app/rooms/rooms-hub.ts';
import type { ConnectionId } from '../../domain/index.ts';
import type { Epoch, RoomName, RoomPosition } from '../../domain/rooms/index.ts';
import { messageItemBytes } from './hubbub-v2-items.ts';

/** Where a room's messages were taken up to, for the acknowledgement once they are written. */
export type Taken = Readonly<{ room: RoomName }> & RoomPosition;

/**
 * The rooms a hubbub.v2 connection is in, each with the last message handed to its socket in
 * the room's numbering now: a room whose numbering restarts carries on from 0 of its new epoch.
 */
export class V2RoomCursors {
  private readonly rooms = new Map<RoomName, RoomPosition>();

  has(room: RoomName): boolean {
    return this.rooms.has(room);
  }

  /** A join took effect; a repeated join carries on from where the room was. */
  joined(room: RoomName, position: RoomPosition): void {
    if (!this.rooms.has(room)) this.rooms.set(room, { epoch: position.epoch, seq: position.seq });
  }

  delete(room: RoomName): void {
    this.rooms.delete(room);
  }

  renumbered(room: RoomName, epoch: Epoch): void {
    if (this.rooms.has(room)) this.rooms.set(room, { epoch, seq: 0 });
  }

  /** Takes every room's messages after its cursor (up to its head here) into `items`. */
  take(rooms: RoomsHub, items: Buffer[]): Taken[] {
    const taken: Taken[] = [];
    for (const [room, { epoch, seq }] of this.rooms) {
      const messages = rooms.read(room, seq, Number.MAX_SAFE_INTEGER);
      const last = messages.at(-1);
      if (last === undefined) continue;
      for (const message of messages) items.push(messageItemBytes(message));
      this.rooms.set(room, { epoch, seq: last.seq });
      taken.push({ room, epoch, seq: last.seq });
    }
    return taken;
  }

  /** `taken` was written: acknowledged, for each room still in and still in that numbering. */
  written(rooms: RoomsHub, id: ConnectionId, taken: readonly Taken[]): void {
    for (const { room, epoch, seq } of taken) {
      if (this.rooms.get(room)?.epoch === epoch) rooms.acknowledge(id, room, seq);
    }
  }
}
