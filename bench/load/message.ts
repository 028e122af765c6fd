// The 64-byte chat message the generator sends: ASCII only, so it needs no escaping inside the
// JSON of hubbub.v1, and its fields sit at fixed offsets so receivers read them without decoding.
//
//   HBB:SSSS:QQQQQQQQQQ:TTTTTTTTTTTTTTT:xxxxxxxxxxxxxxxxxxxxxxxxxxxx
//   marker, sender id, sequence number, send time in µs (performance.now), padding

export const MESSAGE_BYTES = 64;
export const MARKER = Buffer.from('HBB:', 'latin1');
const M0 = 0x48; // 'H'
const M1 = 0x42; // 'B'
const PADDING = 'x'.repeat(MESSAGE_BYTES - 36);

export type Fields = { sender: number; seq: number; sentUs: number };

export const encodeMessage = (sender: number, seq: number, sentUs: number): string => {
  const text = `HBB:${String(sender).padStart(4, '0')}:${String(seq).padStart(10, '0')}:${String(
    Math.floor(sentUs),
  ).padStart(15, '0')}:${PADDING}`;
  if (text.length !== MESSAGE_BYTES) throw new Error(`message is ${text.length} bytes, not 64`);
  return text;
};

const digits = (buf: Buffer, from: number, count: number): number => {
  let value = 0;
  for (let i = from; i < from + count; i++) value = value * 10 + (buf[i] as number) - 48;
  return value;
};

/** Whether a message of ours starts at `at` (the caller checks that 64 bytes are there). */
export const isMessageAt = (buf: Buffer, at: number): boolean =>
  buf[at] === M0 && buf[at + 1] === M1 && buf[at + 2] === M1 && buf[at + 3] === 0x3a;

/** Reads the fields of a message starting at `at`; the out-parameter saves an allocation. */
export const decodeMessageAt = (buf: Buffer, at: number, out: Fields): void => {
  out.sender = digits(buf, at + 4, 4);
  out.seq = digits(buf, at + 9, 10);
  out.sentUs = digits(buf, at + 20, 15);
};
