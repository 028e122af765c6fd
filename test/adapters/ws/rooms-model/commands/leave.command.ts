import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { connectionOf, isIn, type Name, presenceSettles, type RoomId } from '../model.ts';

/** A connected client leaves a room it is in. */
export class LeaveCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly room: RoomId,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    return isIn(model, this.name, this.room);
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = connectionOf(real, this.name);
    const before = connection.of('left', this.room).length;
    connection.command({ type: 'leave', room: this.room });
    await connection.next('left', this.room, before + 1);
    model.clients[this.name].rooms.delete(this.room);
    await presenceSettles(model, real, this.room);
  }

  toString(): string {
    return `leave(${this.name}, ${this.room})`;
  }
}
