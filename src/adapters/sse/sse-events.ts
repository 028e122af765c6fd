import type { RoomMessage } from '../../app/ports/engine.port.ts';
import type { Joined } from '../../app/rooms/room-results.ts';
import type { Epoch, PresenceChange, RoomName, RoomPosition } from '../../domain/rooms/index.ts';
import { messageItem } from '../kit/message-item.ts';
import type { Encoding } from '../kit/outbound-cache.ts';
import { encodeEvent, eventId } from './sse-codec.ts';

/** Each message as one event: its `<epoch>:<seq>` as the id, its text as the data. */
export const TEXT_EVENT: Encoding = {
  slot: 0,
  encode: (message) => Buffer.from(encodeEvent({ id: eventId(message) }, message.text)),
};

/** `?format=v2`: the data is the message's hubbub.v2 item (name, time, id...). */
export const V2_EVENT: Encoding = {
  slot: 1,
  encode: (message) => Buffer.from(encodeEvent({ id: eventId(message) }, messageItem(message))),
};

export type StreamStart = Readonly<{
  room: RoomName;
  name: string;
  maxMessageBytes: number;
  format: 'text' | 'v2';
  /** The resume point was given. */
  resuming: boolean;
  entry: Joined;
}>;

/**
 * What a stream begins with (ending with the room's position as the last event id): with `?format=v2` a `welcome` and the `joined` item (without its
 * messages); `reset` when a resume was not recovered; then the messages the join answered
 * with (resumed, or the history asked for), each as its event.
 */
export const streamStart = (start: StreamStart, encoding: Encoding): string => {
  const { room, name, maxMessageBytes, entry } = start;
  let head = '';
  if (start.format === 'v2') {
    const welcome = { type: 'welcome', name, maxMessageBytes };
    const { epoch, seq, recovered, members } = entry;
    const joined = { type: 'joined', room, epoch, seq, recovered, messages: [], members };
    head += encodeEvent({ event: 'welcome' }, JSON.stringify(welcome));
    head += encodeEvent({ event: 'joined' }, JSON.stringify(joined));
  }
  if (start.resuming && entry.recovered !== true) head += resetEvent(entry);
  const messages = entry.messages.map((message: RoomMessage) =>
    encoding.encode(message).toString(),
  );
  return `${head}${messages.join('')}${positionId(entry)}`;
};

/** `reset`: the stream does not carry on from where the client was; the room is at `position`. */
const resetEvent = (position: RoomPosition): string =>
  encodeEvent({ event: 'reset' }, JSON.stringify({ epoch: position.epoch, seq: position.seq }));

// An id with no data dispatches nothing, but it is where a reconnect resumes: a stream that
// drops before its first message (or after a reset) resumes from here, not from before.
const positionId = (position: RoomPosition): string => `id: ${eventId(position)}\n\n`;

/**
 * The room's numbering restarted (the engine lost it) in the middle of the stream: a `reset` to
 * the new epoch's start, where a reconnect resumes until its first message comes.
 */
export const renumberedEvents = (epoch: Epoch): string => {
  const start = { epoch, seq: 0 };
  return `${resetEvent(start)}${positionId(start)}`;
};

/** A name came to, or went from, the room (`?format=v2` only). */
export const presenceEvent = (change: PresenceChange): string =>
  encodeEvent(
    { event: change.type },
    JSON.stringify({ type: change.type, room: change.room, name: change.name }),
  );
