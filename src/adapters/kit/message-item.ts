import type { RoomMessage } from '../../app/ports/engine.port.ts';

/** A chat message as the hubbub.v2 `message` item's JSON: the same on every transport. */
export const messageItem = (message: RoomMessage): string =>
  JSON.stringify({
    type: 'message',
    room: message.room,
    seq: message.seq,
    epoch: message.epoch,
    text: message.text,
    from: message.from,
    at: message.at,
    ...(message.id === undefined ? {} : { id: message.id }),
  });
