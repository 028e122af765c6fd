import type { RoomMessage } from '../../app/ports/engine.port.ts';
import type { Member, PresenceChange, RoomPosition } from '../../domain/rooms/index.ts';
import { messageItem } from '../kit/message-item.ts';
import { itemsArray } from './hubbub-v1.ts';
import type { V2Refusal } from './hubbub-v2.ts';

/** Each message's item as bytes, made by the first member that writes it and shared by all. */
const messageBytes = new WeakMap<RoomMessage, Buffer>();

/** A live message's item for the wire: encoded once per message, however many members it has. */
export const messageItemBytes = (message: RoomMessage): Buffer => {
  let bytes = messageBytes.get(message);
  if (bytes === undefined) {
    bytes = Buffer.from(messageItem(message));
    messageBytes.set(message, bytes);
  }
  return bytes;
};

/** Each item's frame payload when it goes out alone, `[item]`, made once and shared. */
const aloneBytes = new WeakMap<Buffer, Buffer>();

/** `[item]`: the payload of a frame holding this one item, built once for every member. */
export const aloneInFrame = (item: Buffer): Buffer => {
  let payload = aloneBytes.get(item);
  if (payload === undefined) {
    payload = itemsArray([item], item.length);
    aloneBytes.set(item, payload);
  }
  return payload;
};

/**
 * The items of hubbub.v2 server frames (PROTOCOL-v2 "Items"), each as its JSON text; a frame
 * is a JSON array of them (`itemsArray`).
 */
export const V2Item = {
  /** First on every connection (an extension of PROTOCOL-v2): who the server takes the client for, and its limit. */
  welcome: (name: string, maxMessageBytes: number): string =>
    JSON.stringify({ type: 'welcome', name, maxMessageBytes }),

  message: messageItem,

  joined: (
    room: string,
    answer: Readonly<{
      epoch: string;
      seq: number;
      recovered?: boolean;
      messages: readonly RoomMessage[];
      members: readonly Member[];
    }>,
  ): string =>
    `{"type":"joined","room":${JSON.stringify(room)},"epoch":${JSON.stringify(answer.epoch)},"seq":${answer.seq},${
      answer.recovered === undefined ? '' : `"recovered":${answer.recovered},`
    }"messages":[${answer.messages.map(messageItem).join(',')}],"members":${JSON.stringify(answer.members)}}`,

  ack: (id: string, room: string, seq: number): string =>
    JSON.stringify({ type: 'ack', id, room, seq }),

  left: (room: string): string => JSON.stringify({ type: 'left', room }),

  history: (room: string, messages: readonly RoomMessage[]): string =>
    `{"type":"history","room":${JSON.stringify(room)},"messages":[${messages.map(messageItem).join(',')}]}`,

  members: (room: string, members: readonly Member[]): string =>
    JSON.stringify({ type: 'members', room, members }),

  presence: (change: PresenceChange): string =>
    JSON.stringify({ type: change.type, room: change.room, name: change.name }),

  error: (refusal: V2Refusal): string => JSON.stringify({ type: 'error', ...refusal }),

  /** Where a room's numbering stands, as SSE's `reset` event data says it. */
  position: (position: RoomPosition): string =>
    JSON.stringify({ epoch: position.epoch, seq: position.seq }),
} as const;
