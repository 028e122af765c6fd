import { described, isRun, joinedAt } from '../delivery.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { type Name, openClient, presenceSettles } from '../model.ts';

/**
 * A cut (or evicted) client comes back and rejoins each of its rooms from the last message it
 * had, asking for `history` messages too. A join is recovered exactly when every message it
 * missed is still in the room's history, and then holds exactly those, in order; otherwise it
 * is not, and holds only the newest `history` messages it still keeps. Either way live messages go on after.
 */
export class ResumeCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly history: number,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    return !model.clients[this.name].connected;
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = await openClient(real, this.name);
    const client = model.clients[this.name];
    client.connected = true;
    for (const [room, had] of client.rooms) {
      const since = { epoch: real.epochs[room], seq: had };
      const joined = await connection.join(room, { since, history: this.history });
      const latest = model.messages[room].length;
      const recoverable = latest - had <= model.historySize;
      // Not recovered: the newest `history` messages, as far as the room still holds them.
      const held = Math.min(this.history, model.historySize);
      const from = recoverable ? had : Math.max(0, latest - held);
      const got = (joined.messages as typeof connection.items) ?? [];
      if (
        joined.recovered !== recoverable ||
        joined.seq !== latest ||
        got.length !== latest - from ||
        !isRun(model, room, from, got)
      ) {
        const { messages: _, ...rest } = joined;
        throw new Error(
          `${this.name} resumed ${room} after #${had} of ${latest} with ${JSON.stringify(rest)} and ${described(got)}`,
        );
      }
      if (recoverable && client.evicted) model.tally.recoveredAfterEviction += 1;
      if (recoverable) model.tally.recovered += 1;
      else model.tally.notRecovered += 1;
      joinedAt(real, this.name, joined);
      client.rooms.set(room, latest);
      await presenceSettles(model, real, room);
    }
    client.evicted = false;
  }

  toString(): string {
    return `resume(${this.name}, history ${this.history})`;
  }
}
