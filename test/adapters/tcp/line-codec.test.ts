import assert from 'node:assert/strict';
import test from 'ava';
import fc from 'fast-check';
import { encodeLine, LineReader } from '../../../src/adapters/tcp/line-codec.ts';
import { chunkingsOf, cuts } from '../support/chunks.ts';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

type Read = Readonly<{ lines: Buffer[]; tooLarge: boolean }>;

/** What a reader makes of `chunks`, pushed one after another until it reports `too-large`. */
const read = (maxBytes: number, chunks: readonly Uint8Array[]): Read => {
  const reader = new LineReader(maxBytes);
  const lines: Buffer[] = [];
  for (const chunk of chunks) {
    const result = reader.push(Buffer.from(chunk), (line) => {
      lines.push(Buffer.from(line));
      return true;
    });
    if (result === 'too-large') return { lines, tooLarge: true };
  }
  return { lines, tooLarge: false };
};

/**
 * The framing, read off the whole input: each `\n` ends a line (one `\r` before it dropped), and
 * reading stops at the first line, or unfinished rest, of more than `maxBytes` (`\r` counted).
 */
const framing = (bytes: Buffer, maxBytes: number): Read => {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(NEWLINE); end !== -1; end = bytes.indexOf(NEWLINE, start)) {
    if (end - start > maxBytes) return { lines, tooLarge: true };
    const line = bytes.subarray(start, end);
    lines.push(line.at(-1) === CARRIAGE_RETURN ? line.subarray(0, -1) : line);
    start = end + 1;
  }
  return { lines, tooLarge: bytes.length - start > maxBytes };
};

/** Text with multi-byte characters and stray `\r`, and now and then bytes that are not UTF-8. */
const piece = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => Buffer.from(s)),
  },
  { weight: 2, arbitrary: fc.constantFrom('\r', 'é', '€', '😀', '\0').map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)) },
);
const content = fc
  .array(piece, { maxLength: 4 })
  .map((pieces) => Buffer.from(Buffer.concat(pieces).filter((byte) => byte !== NEWLINE)));
const ending = fc.constantFrom('\n', '\r\n').map((s) => Buffer.from(s));
/** Lines, each ended by `\n` or `\r\n`, and maybe an unfinished one after them. */
const input = fc
  .tuple(fc.array(fc.tuple(content, ending), { maxLength: 5 }), content)
  .map(([lines, rest]) => Buffer.concat([...lines.flat(), rest]));

const NO_LIMIT = 1 << 30;

test('lines come out the same however the bytes are split into chunks', (t) => {
  fc.assert(
    fc.property(input, cuts, (bytes, fractions) => {
      const expected = framing(bytes, NO_LIMIT);
      for (const { how, chunks } of chunkingsOf(bytes, fractions)) {
        assert.deepEqual(read(NO_LIMIT, chunks), expected, how);
      }
    }),
    { numRuns: 300, includeErrorInReport: true },
  );
  t.pass();
});

test('a line over the limit is refused at the same point however the bytes are split', (t) => {
  fc.assert(
    fc.property(input, fc.nat(24), cuts, (bytes, maxBytes, fractions) => {
      const expected = framing(bytes, maxBytes);
      for (const { how, chunks } of chunkingsOf(bytes, fractions)) {
        assert.deepEqual(read(maxBytes, chunks), expected, how);
      }
    }),
    { numRuns: 300, includeErrorInReport: true },
  );
  t.pass();
});

test('a line exactly at the limit passes; its \\r counts, a byte more is refused', (t) => {
  t.deepEqual(read(3, [Buffer.from('abc\n')]), { lines: [Buffer.from('abc')], tooLarge: false });
  t.deepEqual(read(3, [Buffer.from('ab\r\n')]), { lines: [Buffer.from('ab')], tooLarge: false });
  t.deepEqual(read(3, [Buffer.from('abc\r\n')]), { lines: [], tooLarge: true });
  t.deepEqual(read(3, [Buffer.from('abcd')]), { lines: [], tooLarge: true });
});

test('a handler that returns false stops the reading of the chunk', (t) => {
  const reader = new LineReader(100);
  const lines: string[] = [];
  const result = reader.push(Buffer.from('one\ntwo\nthree\n'), (line) => {
    lines.push(line.toString());
    return lines.length < 2;
  });
  t.is(result, 'ok');
  t.deepEqual(lines, ['one', 'two']);
});

test('a broadcast is one line: line breaks inside it become spaces', (t) => {
  t.is(encodeLine('one\ntwo\r\nthree\rfour'), 'one two  three four\n');
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      const lines = framing(Buffer.from(encodeLine(text)), NO_LIMIT).lines;
      assert.equal(lines.length, 1);
    }),
  );
});
