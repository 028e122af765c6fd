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

type Item = { type?: unknown; seq?: unknown; text?: unknown; room?: unknown };

const isItem = (item: unknown): item is Item => typeof item === 'object' && item !== null;

const isValidItem = (item: unknown): boolean =>
  isItem(item) &&
  (item.type !== 'message' || (Number.isSafeInteger(item.seq) && typeof item.text === 'string'));

/**
 * Why the first data frame a connection received does not look like `protocol`, or undefined
 * when it does. A hubbub.v2 connection in `room` starts in no room, so its first frame must
 * open with the `joined` item of that room.
 */
export const firstFrameMismatch = (
  protocol: Protocol,
  text: string,
  room?: string,
): string | undefined => {
  if (protocol === 'plain') {
    return text.startsWith('[') ? 'a JSON array arrived on the plain protocol' : undefined;
  }
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 60)}`;
  }
  if (!Array.isArray(items) || items.length === 0 || !items.every(isValidItem)) {
    return `not a JSON array of items: ${text.slice(0, 60)}`;
  }
  const first = items[0] as Item;
  if (protocol === 'v2' && room !== undefined && (first.type !== 'joined' || first.room !== room)) {
    return `the first item is not "joined" for ${room}: ${text.slice(0, 80)}`;
  }
  return undefined;
};
