import type { Socket } from 'node:net';

/** Resolves once `socket` has written what it holds ('drain'), or has closed. */
export const drained = (socket: Socket): Promise<void> =>
  new Promise<void>((resolve) => {
    const go = (): void => {
      socket.off('drain', go);
      socket.off('close', go);
      resolve();
    };
    socket.on('drain', go);
    socket.on('close', go);
  });
