import type { Writable } from 'node:stream';
import type { WriteDone } from './delivery.ts';
import { type Encoding, encodedAs, type Outbound } from './outbound-cache.ts';

/**
 * Writes each broadcast's encoding in one corked write, `done` on the last: one system call
 * for the whole outbox, and the shared encoded bytes are never copied into a new buffer.
 */
export const writeEach = (
  stream: Pick<Writable, 'cork' | 'uncork' | 'write'>,
  outbox: readonly Outbound[],
  encoding: Encoding,
  done: WriteDone,
): void => {
  const last = outbox.length - 1;
  if (last === 0) {
    stream.write(encodedAs(outbox[0] as Outbound, encoding), done);
    return;
  }
  stream.cork();
  for (let i = 0; i < last; i++) stream.write(encodedAs(outbox[i] as Outbound, encoding));
  stream.write(encodedAs(outbox[last] as Outbound, encoding), done);
  stream.uncork();
};
