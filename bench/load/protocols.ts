// The protocols the generator speaks: the subprotocol each asks for, the text of the frames it
// sends, and the check of the first frame it receives (from then on the generator finds our
// messages by their marker and trusts the frames' shape).

export type Protocol = 'plain' | 'v1' | 'v2';

export const SUBPROTOCOL: Readonly<Record<Protocol, string | undefined>> = {
  plain: undefined,
  v1: 'hubbub.v1',
  v2: 'hubbub.v2',
};

// The generator's texts (bench/load/message.ts) and room names are ASCII letters, digits and
// punctuation that JSON needs no escape for, so they are put in the frames as they are.

/** A chat message as the protocol sends it; hubbub.v2 sends it to a room the client joined. */
export const chatFrame = (protocol: Protocol, text: string, room: string | undefined): string => {
  if (protocol === 'plain') return text;
  if (protocol === 'v1') return `{"type":"send","text":"${text}"}`;
  if (room === undefined) throw new Error('a hubbub.v2 send needs a room');
  return `{"type":"send","room":"${room}","text":"${text}"}`;
};

export const joinFrame = (room: string): string => `{"type":"join","room":"${room}"}`;

type Item = {
  type?: unknown;
  seq?: unknown;
  text?: unknown;
  room?: unknown;
  for?: unknown;
  reason?: unknown;
};

const isItem = (item: unknown): item is Item => typeof item === 'object' && item !== null;

const isValidItem = (item: unknown): boolean =>
  isItem(item) &&
  (item.type !== 'message' || (Number.isSafeInteger(item.seq) && typeof item.text === 'string'));

/** The items of a frame, or why it is not a non-empty JSON array of valid items. */
const itemsOf = (text: string): Item[] | string => {
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 60)}`;
  }
  if (!Array.isArray(items) || items.length === 0 || !items.every(isValidItem)) {
    return `not a JSON array of items: ${text.slice(0, 60)}`;
  }
  return items as Item[];
};

/** Why the first data frame a connection received does not look like `protocol`, if it does not. */
export const firstFrameMismatch = (protocol: Protocol, text: string): string | undefined => {
  if (protocol === 'plain') {
    return text.startsWith('[') ? 'a JSON array arrived on the plain protocol' : undefined;
  }
  const items = itemsOf(text);
  return typeof items === 'string' ? items : undefined;
};

export type JoinAnswer = { kind: 'joined' } | { kind: 'refused'; why: string };

/**
 * What a hubbub.v2 frame answers to a `join` of `room`: its `joined` item, an `error` item for
 * it, or nothing (a `welcome`, presence, ...: the answer is still to come).
 */
export const joinAnswer = (text: string, room: string): JoinAnswer | undefined => {
  const items = itemsOf(text);
  if (typeof items === 'string') return { kind: 'refused', why: items };
  for (const item of items) {
    if (item.room !== room) continue;
    if (item.type === 'joined') return { kind: 'joined' };
    if (item.type === 'error' && item.for === 'join') {
      return { kind: 'refused', why: `${String(item.reason)}: ${text.slice(0, 80)}` };
    }
  }
  return undefined;
};
