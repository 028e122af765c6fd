import fc from 'fast-check';
import {
  closePayload,
  type FrameSpec,
  type LengthEncoding,
  minimalEncoding,
  Op,
  splitAt,
} from './frames.ts';
import type { Limits } from './oracle.ts';
import { textPayload, utf8EdgePayload } from './payloads.ts';

export const maskKey: fc.Arbitrary<Buffer | undefined> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.uint8Array({ minLength: 4, maxLength: 4 }).map((a) => Buffer.from(a)),
  },
  { weight: 1, arbitrary: fc.constant(Buffer.alloc(4)) },
);

/** The minimal length encoding mostly, sometimes a wider one (still valid for data frames). */
const encodingFor = (length: number): fc.Arbitrary<LengthEncoding> => {
  const minimal = minimalEncoding(length);
  const wider: LengthEncoding[] = minimal === 7 ? [16, 64] : minimal === 16 ? [64] : [];
  return wider.length === 0
    ? fc.constant(minimal)
    : fc.oneof(
        { weight: 6, arbitrary: fc.constant(minimal) },
        { weight: 1, arbitrary: fc.constantFrom(...wider) },
      );
};

/** A well-formed client frame: FIN as given, no RSV, masked, length field that fits. */
export const wellFormed = (opcode: number, payload: Buffer, fin = true): fc.Arbitrary<FrameSpec> =>
  fc
    .record({
      mask: maskKey.filter((key) => key !== undefined),
      encoding: opcode >= 8 ? fc.constant<LengthEncoding>(7) : encodingFor(payload.length),
    })
    .map(({ mask, encoding }) => ({ fin, rsv: 0, opcode, payload, mask, encoding }));

export const controlPayload: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 5, arbitrary: fc.uint8Array({ maxLength: 20 }).map((a) => Buffer.from(a)) },
  {
    weight: 1,
    arbitrary: fc.uint8Array({ minLength: 120, maxLength: 125 }).map((a) => Buffer.from(a)),
  },
);

/** A ping or a pong, as may come between the fragments of a message or between messages. */
export const controlFrame: fc.Arbitrary<FrameSpec> = fc
  .tuple(fc.constantFrom(Op.ping, Op.pong), controlPayload)
  .chain(([opcode, payload]) => wellFormed(opcode, payload));

export type MessageOptions = Readonly<{
  payload: fc.Arbitrary<Buffer>;
  /** Weight of binary messages against 12 for text. */
  binaryWeight: number;
  /** Weight of a control frame before a fragment against 1 for none. */
  controlWeight: number;
}>;

/** A text (or binary) message cut into fragments, with control frames between some of them. */
export const message = (
  limits: Limits,
  options: Partial<MessageOptions> = {},
): fc.Arbitrary<FrameSpec[]> => {
  const { payload = textPayload(limits), binaryWeight = 1, controlWeight = 1 } = options;
  const opcode = fc.oneof(
    { weight: 12, arbitrary: fc.constant(Op.text) },
    { weight: binaryWeight, arbitrary: fc.constant(Op.binary) },
  );
  return fc
    .record({
      opcode,
      payload,
      cuts: fc.array(fc.nat(), { maxLength: 3 }),
      empty: fc.boolean(),
    })
    .chain(({ opcode, payload, cuts, empty }) => {
      // Cuts may fall inside a code point: fragments need not be valid UTF-8, messages must.
      const pieces = splitAt(
        payload,
        cuts.map((cut) => cut % (payload.length + 1)),
      );
      if (empty && pieces.length > 1) pieces.splice(1, 0, Buffer.alloc(0)); // an empty fragment
      const fragments = pieces.map((piece, i) =>
        wellFormed(i === 0 ? opcode : Op.continuation, piece, i === pieces.length - 1),
      );
      const control = fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 3 * controlWeight, arbitrary: controlFrame },
      );
      const between = fc.array(control, { minLength: pieces.length, maxLength: pieces.length });
      return fc.tuple(fc.tuple(...fragments), between).map(([frames, controls]) =>
        frames.flatMap((f, i) => {
          const before = controls[i];
          return i > 0 && before !== undefined ? [before, f] : [f];
        }),
      );
    });
};

const interestingCodes = [
  0, 999, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
  1015, 1016, 1100, 2000, 2999, 3000, 3999, 4000, 4999, 5000, 65_535,
];

/** A close frame: empty, 1 byte, or a code (often an edge one) with a reason of any validity. */
export const closeFrame: fc.Arbitrary<FrameSpec> = fc
  .oneof(
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 1, maxLength: 1 }).map((a) => Buffer.from(a)),
    },
    {
      weight: 8,
      arbitrary: fc
        .tuple(
          fc.oneof(
            { weight: 4, arbitrary: fc.constantFrom(...interestingCodes) },
            { weight: 1, arbitrary: fc.integer({ min: 3000, max: 4999 }) },
            { weight: 1, arbitrary: fc.integer({ min: 0, max: 65_535 }) },
          ),
          fc.oneof(
            { weight: 4, arbitrary: utf8EdgePayload(6, 3) },
            { weight: 1, arbitrary: fc.constant(Buffer.alloc(123, 0x72)) },
          ),
        )
        .map(([code, reason]) => closePayload(code, reason)),
    },
  )
  .chain((payload) =>
    payload.length > 125
      ? wellFormed(Op.close, payload.subarray(0, 125))
      : wellFormed(Op.close, payload),
  );

/** Any header at all: opcode 0-15, RSV bits, FIN, mask or none, any short payload. */
export const wildFrame: fc.Arbitrary<FrameSpec> = fc
  .record({
    fin: fc.boolean(),
    rsv: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 2, arbitrary: fc.integer({ min: 1, max: 7 }) },
    ),
    opcode: fc.integer({ min: 0, max: 15 }),
    mask: fc.oneof(
      { weight: 5, arbitrary: maskKey },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    payload: fc.oneof(
      utf8EdgePayload(),
      fc.uint8Array({ maxLength: 140 }).map((a) => Buffer.from(a)),
    ),
  })
  .chain((f) => encodingFor(f.payload.length).map((encoding) => ({ ...f, encoding })));

/** A data frame whose header announces more than the server takes; only the header is sent. */
export const overLimitFrame = (limits: Limits): fc.Arbitrary<FrameSpec> =>
  fc
    .record({
      opcode: fc.constantFrom(Op.text, Op.binary, Op.continuation),
      fin: fc.boolean(),
      announced: fc.oneof(
        fc.bigInt({ min: BigInt(limits.maxPayload + 1), max: BigInt(limits.maxPayload + 70_000) }),
        fc.constantFrom(2n ** 32n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n - 1n),
        fc.bigInt({ min: 2n ** 63n, max: 2n ** 64n - 1n }),
      ),
      mask: fc.oneof(
        { weight: 6, arbitrary: maskKey },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
    })
    .map(({ announced, ...f }) => ({
      ...f,
      rsv: 0,
      payload: Buffer.alloc(0),
      announced,
      encoding: announced < 65_536n ? (16 as const) : (64 as const),
    }));
