import { waitUntil } from '../../../support/ws-client.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { connectionOf, isIn, type Name, type RoomId, type SentWithId } from '../model.ts';

/**
 * A client sends again, with the same id, a message its name already sent to the room (as a
 * client retrying after a lost ack would): the ack repeats the first seq and nothing is
 * broadcast (a message that came anyway is caught by the next delivery to a member).
 */
export class RepeatSendCommand implements RoomsCommand {
  constructor(
    readonly name: Name,
    readonly room: RoomId,
    /** Which of the name's sends to the room with an id, counted modulo how many there are. */
    readonly pick: number,
  ) {}

  check(model: Readonly<RoomsModel>): boolean {
    return isIn(model, this.name, this.room) && this.earlier(model).length > 0;
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const earlier = this.earlier(model);
    const first = earlier[this.pick % earlier.length];
    if (first === undefined) throw new Error('no earlier send');
    const connection = connectionOf(real, this.name);
    const acks = () => connection.of('ack').filter((item) => item.id === first.id);
    const before = acks().length;
    const text = model.messages[this.room][first.seq - 1];
    connection.command({ type: 'send', room: this.room, text, id: first.id });
    const ack = await waitUntil(() => acks()[before], `the repeated ack of ${first.id}`);
    if (ack.seq !== first.seq) {
      throw new Error(
        `repeat of ${first.id} acked as #${String(ack.seq)}, first was #${first.seq}`,
      );
    }
    model.tally.repeats += 1;
  }

  private earlier(model: Readonly<RoomsModel>): SentWithId[] {
    return model.sentWithIds.filter((sent) => sent.name === this.name && sent.room === this.room);
  }

  toString(): string {
    return `repeatSend(${this.name}, ${this.room}, ${this.pick})`;
  }
}
