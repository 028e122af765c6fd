import { waitUntil } from '../../../support/ws-client.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { NAMES, type Name, type RoomId } from '../model.ts';

let ids = 0;

/**
 * A client sends to a room it is in: the ack has the next seq of the room, and every connected
 * member gets that message next, and nothing else.
 */
export class SendCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly room: RoomId,
    readonly text: string,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    const client = model.clients[this.name];
    return client.connected && client.rooms.has(this.room);
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = real.clients[this.name].connection;
    if (connection === undefined) throw new Error('not connected');
    const id = `m${ids++}`;
    connection.command({ type: 'send', room: this.room, text: this.text, id });
    const ack = await waitUntil(
      () => connection.of('ack').find((item) => item.id === id),
      `ack ${id}`,
    );
    model.messages[this.room].push(this.text);
    const seq = model.messages[this.room].length;
    if (ack.seq !== seq) throw new Error(`ack seq ${String(ack.seq)}, expected ${seq}`);
    for (const member of NAMES) {
      const state = model.clients[member];
      if (!state.connected || !state.rooms.has(this.room)) continue;
      const realMember = real.clients[member];
      const memberConnection = realMember.connection;
      if (memberConnection === undefined) throw new Error(`${member} has no connection`);
      const from = realMember.checked.get(this.room) ?? 0;
      await waitUntil(
        () => memberConnection.of('message', this.room).length > from,
        `${member} to get ${this.room}#${seq}`,
      );
      const fresh = memberConnection.of('message', this.room).slice(from);
      if (fresh.length !== 1 || fresh[0]?.seq !== seq || fresh[0]?.text !== this.text) {
        throw new Error(`${member} got ${JSON.stringify(fresh)} in ${this.room}, expected #${seq}`);
      }
      realMember.checked.set(this.room, from + 1);
      state.rooms.set(this.room, seq);
    }
  }

  toString(): string {
    return `send(${this.name}, ${this.room}, ${JSON.stringify(this.text)})`;
  }
}
