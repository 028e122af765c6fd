import { waitUntil } from '../../../support/ws-client.ts';
import { deliveredToMembers, described, isRun } from '../delivery.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import {
  connectionOf,
  FLOOD_BYTES,
  isIn,
  type Name,
  namesIn,
  presenceSettles,
  ROOMS,
  type RoomId,
} from '../model.ts';

/** Evictions in one program at most: each moves megabytes. */
const MAX_EVICTIONS = 1;
/** A reader that stops must be evicted within this many flood messages. */
const MAX_FLOOD = 40;
const BODY = 'x'.repeat(FLOOD_BYTES);

/**
 * A client stops reading while another member of the room floods it with large messages, until
 * the server evicts it (its send buffer is full). Every other member gets every message; the
 * evicted client, reading again, finds a run of the room's messages after what it had, then
 * the end of the connection, and is cut off as after a drop.
 */
export class EvictCommand implements RoomsCommand {
  constructor(
    readonly victim: Name,
    readonly room: RoomId,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    return (
      model.tally.evictions < MAX_EVICTIONS &&
      isIn(model, this.victim, this.room) &&
      this.flooder(model) !== undefined
    );
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const flooder = this.flooder(model);
    if (flooder === undefined) throw new Error('no one to flood');
    const victim = connectionOf(real, this.victim);
    victim.pauseReading();
    const present = () => real.rooms.members(this.room).some((m) => m.name === this.victim);
    for (let n = 0; present(); n++) {
      if (n === MAX_FLOOD) throw new Error(`${this.victim} still there after ${n} messages`);
      const text = `flood ${n} ${BODY}`;
      connectionOf(real, flooder).command({ type: 'send', room: this.room, text });
      model.messages[this.room].push(text);
      await deliveredToMembers(model, real, this.room, this.victim);
    }
    victim.resumeReading();
    await waitUntil(() => victim.closed, `${this.victim} to see its connection end`);
    if (![1006, 1008].includes(victim.closed?.code ?? 0)) {
      throw new Error(`evicted with ${JSON.stringify(victim.closed)}`);
    }
    const state = model.clients[this.victim];
    for (const room of ROOMS) {
      const had = state.rooms.get(room);
      if (had === undefined) continue;
      const got = victim
        .of('message', room)
        .slice(real.clients[this.victim].checked.get(room) ?? 0);
      if (!isRun(model, room, had, got)) {
        throw new Error(`${this.victim} got ${described(got)} in ${room} after #${had}`);
      }
      state.rooms.set(room, had + got.length);
    }
    real.clients[this.victim].connection = undefined;
    state.connected = false;
    state.evicted = true;
    model.tally.evictions += 1;
    for (const room of ROOMS) await presenceSettles(model, real, room);
  }

  private flooder(model: Readonly<RoomsModel>): Name | undefined {
    return namesIn(model, this.room).find((name) => name !== this.victim);
  }

  toString(): string {
    return `evict(${this.victim}, ${this.room})`;
  }
}
