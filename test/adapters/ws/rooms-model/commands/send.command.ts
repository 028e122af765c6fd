import { waitUntil } from '../../../support/ws-client.ts';
import { deliveredToMembers } from '../delivery.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { connectionOf, isIn, type Name, type RoomId } from '../model.ts';

let ids = 0;

/**
 * A client sends to a room it is in, with a fresh id: the ack has the next seq of the room,
 * and every connected member gets that message next, and nothing else.
 */
export class SendCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly room: RoomId,
    readonly text: string,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    return isIn(model, this.name, this.room);
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = connectionOf(real, this.name);
    const id = `m${ids++}`;
    connection.command({ type: 'send', room: this.room, text: this.text, id });
    const ack = await waitUntil(
      () => connection.of('ack').find((item) => item.id === id),
      `ack ${id}`,
    );
    model.messages[this.room].push(this.text);
    const seq = model.messages[this.room].length;
    if (ack.seq !== seq) throw new Error(`ack seq ${String(ack.seq)}, expected ${seq}`);
    model.sentWithIds.push({ name: this.name, room: this.room, id, seq });
    await deliveredToMembers(model, real, this.room);
  }

  toString(): string {
    return `send(${this.name}, ${this.room}, ${JSON.stringify(this.text)})`;
  }
}
