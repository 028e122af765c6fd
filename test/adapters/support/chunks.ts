import fc from 'fast-check';

/** `bytes` in two chunks, for every place it can be cut (the first or the second may be empty). */
export const everyCutOf = (bytes: Uint8Array): Uint8Array[][] =>
  Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.subarray(0, at), bytes.subarray(at)]);

/** `bytes` one byte per chunk. */
export const byteByByte = (bytes: Uint8Array): Uint8Array[] =>
  Array.from(bytes, (_, at) => bytes.subarray(at, at + 1));

/** Where to cut, as fractions of the length: any number of cuts, anywhere, in any order. */
export const cuts: fc.Arbitrary<readonly number[]> = fc.array(
  fc.double({ min: 0, max: 1, noNaN: true }),
  { maxLength: 8 },
);

/** `bytes` cut at `fractions` of its length. */
export const cutAt = (bytes: Uint8Array, fractions: readonly number[]): Uint8Array[] => {
  const at = fractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b);
  return [0, ...at].map((from, i) => bytes.subarray(from, at[i] ?? bytes.length));
};

/** Every way of chunking `bytes` the codec tests try, `fractions` giving the random one. */
export const chunkingsOf = (
  bytes: Uint8Array,
  fractions: readonly number[],
): Array<Readonly<{ how: string; chunks: Uint8Array[] }>> => [
  { how: 'one chunk', chunks: [bytes] },
  { how: 'byte by byte', chunks: byteByByte(bytes) },
  { how: `cut at ${fractions.join(', ')}`, chunks: cutAt(bytes, fractions) },
  ...everyCutOf(bytes).map((chunks, at) => ({ how: `cut at byte ${at}`, chunks })),
];
