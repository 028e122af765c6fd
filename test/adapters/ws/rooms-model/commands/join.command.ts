import { joinedAt } from '../delivery.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { connectionOf, type Name, presenceSettles, type RoomId } from '../model.ts';

/** A connected client joins a room it is not in: `joined` says where the room is. */
export class JoinCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly room: RoomId,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    const client = model.clients[this.name];
    return client.connected && !client.rooms.has(this.room) && client.rooms.size < 2;
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = connectionOf(real, this.name);
    const joined = await connection.join(this.room);
    const latest = model.messages[this.room].length;
    if (joined.seq !== latest) throw new Error(`joined at ${joined.seq}, the room is at ${latest}`);
    real.epochs[this.room] ??= String(joined.epoch);
    if (joined.epoch !== real.epochs[this.room]) throw new Error('the epoch changed');
    joinedAt(real, this.name, joined);
    model.clients[this.name].rooms.set(this.room, latest);
    await presenceSettles(model, real, this.room);
  }

  toString(): string {
    return `join(${this.name}, ${this.room})`;
  }
}
