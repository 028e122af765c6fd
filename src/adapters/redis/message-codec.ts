import type { NodePresence, RoomMessage, SendDraft } from '../../app/ports/engine.port.ts';
import type { Epoch, RoomName } from '../../domain/rooms/index.ts';
import type { ScriptReply } from './redis-scripts.ts';

/** What Redis keeps of a message besides its room, seq and epoch. */
type Body = Readonly<{ text: string; from: string; at: number; id?: string }>;

export const bodyOf = (draft: SendDraft): string =>
  JSON.stringify({
    text: draft.text,
    from: draft.from,
    at: draft.at,
    ...(draft.id === undefined ? {} : { id: draft.id }),
  });

export const messageOf = (room: RoomName, epoch: Epoch, seq: number, body: string): RoomMessage => {
  const { text, from, at, id } = JSON.parse(body) as Body;
  return { room, seq, epoch, text, from, at, ...(id === undefined ? {} : { id }) };
};

/** The messages of a script's reply: stream entry id (`<seq>-0`) and body pairs from `start`. */
export const messagesOf = (
  room: RoomName,
  epoch: Epoch,
  reply: ScriptReply,
  start: number,
): RoomMessage[] => {
  const messages: RoomMessage[] = [];
  for (let i = start; i + 1 < reply.length; i += 2) {
    const seq = Number.parseInt(String(reply[i]), 10);
    messages.push(messageOf(room, epoch, seq, String(reply[i + 1])));
  }
  return messages;
};

/** What a room's channel carries: a stored message, or a change of one process's presence. */
export type ChannelPayload =
  | Readonly<{ kind: 'message'; message: RoomMessage }>
  | Readonly<{ kind: 'presence'; presence: NodePresence }>;

type Wire = Readonly<{ e: string; s: number; b: Body }> | Readonly<{ k: string; c: number }>;

/** Presence fields are `<node>\n<name>`. */
export const presenceOf = (room: RoomName, field: string, connections: number): NodePresence => {
  const cut = field.indexOf('\n');
  return { room, node: field.slice(0, cut), name: field.slice(cut + 1), connections };
};

export const decodePayload = (room: RoomName, raw: string): ChannelPayload => {
  const wire = JSON.parse(raw) as Wire;
  if ('k' in wire) return { kind: 'presence', presence: presenceOf(room, wire.k, wire.c) };
  const { text, from, at, id } = wire.b;
  const message = { room, seq: wire.s, epoch: wire.e, text, from, at };
  return { kind: 'message', message: id === undefined ? message : { ...message, id } };
};
