// The test tools themselves: the frame encoder against the examples of RFC 6455 section 5.7,
// the oracle's UTF-8 validator against TextDecoder, and the oracle's refusal to predict a
// sequence that would leave the server waiting. Pure and fast; no server.
import test from 'ava';
import fc from 'fast-check';
import { binary, decodeFrame, encodeFrame, frame, Op, text } from './support/frames.ts';
import { limitsFor, predict } from './support/oracle.ts';
import { INVALID_UTF8, VALID_UTF8 } from './support/payloads.ts';
import { isValidUtf8 } from './support/utf8.ts';

const hex = (bytes: Buffer): string => bytes.toString('hex');

test('the encoder reproduces the frames of RFC 6455 section 5.7', (t) => {
  t.is(hex(encodeFrame(text('Hello', { mask: undefined }))), '810548656c6c6f');
  // The RFC's masked "Hello" uses the key 37 fa 21 3d, this suite's default mask.
  t.is(hex(encodeFrame(text('Hello'))), '818537fa213d7f9f4d5158');
  t.is(hex(encodeFrame(frame(Op.ping, 'Hello', { mask: undefined }))), '890548656c6c6f');
  t.is(hex(encodeFrame(binary(Buffer.alloc(256), { mask: undefined })).subarray(0, 4)), '827e0100');
  t.is(
    hex(encodeFrame(binary(Buffer.alloc(65_536), { mask: undefined })).subarray(0, 10)),
    '827f0000000000010000',
  );
  t.is(hex(encodeFrame(text('Hel', { fin: false, mask: undefined }))), '010348656c');
});

test('the encoder writes RSV bits, a header-only length, and refuses what cannot be encoded', (t) => {
  t.is(hex(encodeFrame(text('', { rsv: 7, mask: undefined }))), 'f100');
  t.is(
    hex(encodeFrame(text('', { announced: 2n ** 63n, mask: undefined }))),
    '817f8000000000000000',
  );
  t.throws(() => encodeFrame(text('x'.repeat(126), { encoding: 7 })));
  t.throws(() => encodeFrame(text('x'.repeat(65_536), { encoding: 16 })));
});

test('decoding an encoded frame gives it back (masked or not, any length encoding)', (t) => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 0, max: 15 }),
      fc.boolean(),
      fc.constantFrom(undefined, Buffer.from([1, 2, 3, 4])),
      (bytes, opcode, fin, mask) => {
        const payload = Buffer.from(bytes);
        const encoding = payload.length < 126 ? 7 : 64;
        const decoded = decodeFrame(encodeFrame(frame(opcode, payload, { fin, mask, encoding })));
        return (
          decoded !== undefined &&
          decoded.frame.opcode === opcode &&
          decoded.frame.fin === fin &&
          decoded.frame.masked === (mask !== undefined) &&
          decoded.frame.payload.equals(payload)
        );
      },
    ),
    { numRuns: 500 },
  );
  t.pass();
});

const fatal = new TextDecoder('utf-8', { fatal: true });
const decodes = (bytes: Uint8Array): boolean => {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
};

test('the oracle’s UTF-8 validator agrees with TextDecoder on random and edge bytes', (t) => {
  const edges = fc
    .array(fc.constantFrom(...VALID_UTF8, ...INVALID_UTF8), { maxLength: 6 })
    .map((tokens) => Buffer.concat(tokens));
  const anyBytes = fc.uint8Array({ maxLength: 12 }).map((a) => Buffer.from(a));
  const highBytes = fc
    .array(fc.integer({ min: 0x80, max: 0xff }), { maxLength: 6 })
    .map((a) => Buffer.from(a));
  fc.assert(
    fc.property(
      fc.oneof(edges, anyBytes, highBytes),
      (bytes) => isValidUtf8(bytes) === decodes(bytes),
    ),
    { numRuns: 3000 },
  );
  for (const token of VALID_UTF8) t.true(isValidUtf8(token), hex(token));
  for (const token of INVALID_UTF8) t.false(isValidUtf8(token), hex(token));
});

test('the oracle refuses a sequence that would leave the server waiting for a payload', (t) => {
  const limits = limitsFor(512);
  // 100 bytes announced, none sent: within the limits, so the server would wait for them.
  t.throws(() => predict([text('', { announced: 100n, encoding: 16 })], limits), {
    message: /waiting for a payload/,
  });
  // Over the limit: refused from the header, no payload needed.
  t.like(predict([text('', { announced: 10_000n })], limits).end, { kind: 'fail', codes: [1009] });
});
