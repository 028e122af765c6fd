import fc from 'fast-check';
import type { Limits } from './oracle.ts';

/** Byte sequences at the edges of UTF-8: every boundary code point, and the classic faults. */
export const VALID_UTF8 = [
  'a',
  '\u0000',
  '\u007f',
  '\u0080',
  'é',
  '\u07ff',
  '\u0800',
  '€',
  '\ud7ff',
  '\ue000',
  '\ufffd',
  '\uffff',
  '𐀀',
  '😀',
  '\u{10ffff}',
  'κόσμε',
].map((s) => Buffer.from(s, 'utf8'));

export const INVALID_UTF8 = [
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe0, 0x9f, 0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc3],
].map((bytes) => Buffer.from(bytes));

/** Text payloads built from edge code points, with a fault inside about one token in `1 + validWeight`. */
export const utf8EdgePayload = (maxTokens = 12, validWeight = 12): fc.Arbitrary<Buffer> =>
  fc
    .array(
      fc.oneof(
        { weight: validWeight, arbitrary: fc.constantFrom(...VALID_UTF8) },
        { weight: 1, arbitrary: fc.constantFrom(...INVALID_UTF8) },
      ),
      { maxLength: maxTokens },
    )
    .map((tokens) => Buffer.concat(tokens));

/** As many whole tokens as fit in `max` bytes. */
const fitting = (tokens: readonly Buffer[], max: number): Buffer => {
  const kept: Buffer[] = [];
  let size = 0;
  for (const token of tokens) {
    if (size + token.length > max) break;
    kept.push(token);
    size += token.length;
  }
  return Buffer.concat(kept);
};

/** Valid UTF-8 of at most `max` bytes (sometimes exactly `max`): what the server must accept. */
export const validTextPayload = (max: number): fc.Arbitrary<Buffer> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(fc.constantFrom(...VALID_UTF8), { maxLength: 12 })
        .map((t) => fitting(t, max)),
    },
    {
      weight: 3,
      arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((s) =>
        fitting(
          [...s].map((c) => Buffer.from(c)),
          max,
        ),
      ),
    },
    {
      weight: 1,
      arbitrary: fc.array(fc.constantFrom(...VALID_UTF8), { maxLength: 4 }).map((tokens) => {
        const tail = fitting(tokens, max);
        return Buffer.concat([Buffer.alloc(max - tail.length, 0x78), tail]);
      }),
    },
  );

/** A payload of `size` bytes (more if its tail is longer): ASCII, then edge code points (maybe a fault). */
const payloadOfSize = (size: number): fc.Arbitrary<Buffer> =>
  utf8EdgePayload(4).map((tail) =>
    Buffer.concat([Buffer.alloc(Math.max(0, size - tail.length), 0x78), tail]),
  );

/** Text payloads of every kind, sizes clustered around the server's two limits. */
export const textPayload = (limits: Limits): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 6, arbitrary: utf8EdgePayload() },
    {
      weight: 3,
      arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => Buffer.from(s)),
    },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: limits.maxMessageBytes - 3, max: limits.maxMessageBytes + 3 })
        .chain(payloadOfSize),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: limits.maxPayload - 3, max: limits.maxPayload + 3 })
        .chain(payloadOfSize),
    },
  );
