import type { RoomMessage } from '../../src/app/ports/engine.port.ts';

/** A message of `lobby` in epoch `e1` as the engine would store it, for unit tests. */
export const roomMessage = (
  seq: number,
  text: string,
  more: Partial<RoomMessage> = {},
): RoomMessage => ({
  room: 'lobby',
  epoch: 'e1',
  from: 'ann',
  at: 0,
  seq,
  text,
  ...more,
});
