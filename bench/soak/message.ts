// Chat messages of the soak: `kind:sender:n:length|filler`, ASCII only (no escaping in JSON, one
// line on TCP, one `data:` line on SSE). The part before `|` is unique in a run and names the
// message; the declared length lets a receiver check the text arrived whole.

export type MessageKind = 'hello' | 'chat' | 'bye' | 'stray';

const KIND_LETTER: Record<MessageKind, string> = { hello: 'H', chat: 'M', bye: 'B', stray: 'X' };
const FILLER =
  'the quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ';

export const messageText = (
  kind: MessageKind,
  sender: string,
  n: number,
  length: number,
): string => {
  const head = `${KIND_LETTER[kind]}:${sender}:${n}:`;
  const size = Math.max(length, head.length + 8);
  const prefix = `${head}${size}|`;
  let text = prefix;
  while (text.length < size) text += FILLER.slice(0, size - text.length);
  return text;
};

/** The message's name (the part before `|`), and whether its length is the one declared. */
export const readText = (text: string): { id: string; whole: boolean } => {
  const bar = text.indexOf('|');
  if (bar < 0) return { id: text.slice(0, 40), whole: false };
  const id = text.slice(0, bar);
  const declared = Number(id.slice(id.lastIndexOf(':') + 1));
  return { id, whole: declared === text.length };
};

/** FNV-1a over the ids of a stream, in order: equal streams hash equal. */
export const chainHash = (hash: number, id: string): number => {
  let h = hash;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= 0x0a; // a separator, so that ["ab", "c"] and ["a", "bc"] differ
  return Math.imul(h, 0x01000193) >>> 0;
};

export const HASH_START = 0x811c9dc5;
