import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { type Name, openClient, presenceSettles } from '../model.ts';

/**
 * A cut client comes back and rejoins each of its rooms from the last message it had: every
 * join is recovered, with exactly the messages it missed, in order.
 */
export class ResumeCommand implements RoomsCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<RoomsModel>): boolean {
    return !model.clients[this.name].connected;
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = await openClient(real, this.name);
    model.clients[this.name].connected = true;
    for (const [room, had] of model.clients[this.name].rooms) {
      const joined = await connection.join(room, { since: { epoch: real.epochs[room], seq: had } });
      const missed = model.messages[room].slice(had);
      const got = (joined.messages as Array<{ seq: number; text: string }>) ?? [];
      const expected = missed.map((text, i) => ({ seq: had + 1 + i, text }));
      const seen = got.map(({ seq, text }) => ({ seq, text }));
      if (joined.recovered !== true || JSON.stringify(seen) !== JSON.stringify(expected)) {
        throw new Error(
          `${this.name} resumed ${room} with ${JSON.stringify(joined)}, expected ${JSON.stringify(expected)}`,
        );
      }
      real.clients[this.name].checked.set(room, connection.of('message', room).length);
      model.clients[this.name].rooms.set(room, model.messages[room].length);
      await presenceSettles(model, real, room);
    }
  }

  toString(): string {
    return `resume(${this.name})`;
  }
}
