import type { Seq } from '../../domain/index.ts';
import { encodedAs, type Outbound } from '../kit/outbound-cache.ts';
import { textFrame } from './frames.ts';
import { itemsArray, V1_ITEM } from './hubbub-v1.ts';

const BATCH_KEY_SPAN = 2 ** 20;

/**
 * The hubbub.v1 frames of one transport, each built once per range of broadcasts: connections
 * that are caught up (the usual case: all at the same position) write the very same bytes.
 */
export class V1Batches {
  readonly #frames = new Map<number, Buffer>();
  #head: Seq = -1;
  #room = '';
  #epoch = '';

  /** The frame carrying broadcasts `outbox[0].seq` .. last. */
  frameOf(outbox: readonly Outbound[], itemBytes: number, head: Seq): Buffer {
    const first = outbox[0] as Outbound;
    // Connections of one room flush together: the frames of the room and head they are at.
    const { room, epoch } = first.message;
    if (head !== this.#head || room !== this.#room || epoch !== this.#epoch) {
      this.#frames.clear();
      this.#head = head;
      this.#room = room;
      this.#epoch = epoch;
    }
    // Relative to the head, so the key stays a small exact integer however long the hub runs.
    const key = (head - first.seq) * BATCH_KEY_SPAN + (outbox.length % BATCH_KEY_SPAN);
    let frame = this.#frames.get(key);
    if (frame === undefined) {
      const items = outbox.map((outbound) => encodedAs(outbound, V1_ITEM));
      frame = textFrame(itemsArray(items, itemBytes));
      this.#frames.set(key, frame);
    }
    return frame;
  }
}
