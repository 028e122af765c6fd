import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

/** How long a connection may take to close (after its goodbye, at shutdown) before it is cut. */
export const CLOSE_GRACE_MS = 2_000;

/** Destroys `socket` unless it has closed within `graceMs`; the timer holds no process open. */
export const cutOffAfter = (socket: Duplex, graceMs = CLOSE_GRACE_MS): void => {
  const cutOff = setTimeout(() => socket.destroy(), graceMs);
  cutOff.unref();
  socket.once('close', () => clearTimeout(cutOff));
};

/**
 * Says `goodbye()` and resolves once `emitter` emits 'close'; `cut()` if that takes longer than
 * `graceMs`. Resolves at once if it is `closed` already.
 */
export const closeWithin = (
  emitter: Pick<EventEmitter, 'once'>,
  closed: boolean,
  cut: () => void,
  goodbye: () => void,
  graceMs = CLOSE_GRACE_MS,
): Promise<void> => {
  if (closed) return Promise.resolve();
  return new Promise((resolve) => {
    const cutOff = setTimeout(cut, graceMs);
    emitter.once('close', () => {
      clearTimeout(cutOff);
      resolve();
    });
    goodbye();
  });
};
