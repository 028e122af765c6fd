import fc from 'fast-check';
import { closeFrame, controlFrame, message, overLimitFrame, wildFrame } from './arbitraries.ts';
import { encodeFrames, type FrameSpec, splitAt } from './frames.ts';
import type { Limits } from './oracle.ts';
import { utf8EdgePayload, validTextPayload } from './payloads.ts';

/** One way to break a well-formed message: the kinds of mistakes a buggy client makes. */
type Mutation =
  | Readonly<{ kind: 'fin' }>
  | Readonly<{ kind: 'rsv'; rsv: number }>
  | Readonly<{ kind: 'opcode'; opcode: number }>
  | Readonly<{ kind: 'unmask' }>
  | Readonly<{ kind: 'drop' }>
  | Readonly<{ kind: 'repeat' }>;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'fin' } as const),
  fc.integer({ min: 1, max: 7 }).map((rsv) => ({ kind: 'rsv', rsv }) as const),
  fc.integer({ min: 0, max: 15 }).map((opcode) => ({ kind: 'opcode', opcode }) as const),
  fc.constant({ kind: 'unmask' } as const),
  fc.constant({ kind: 'drop' } as const),
  fc.constant({ kind: 'repeat' } as const),
);

const mutate = (frames: readonly FrameSpec[], at: number, change: Mutation): FrameSpec[] => {
  const index = at % frames.length;
  const target = frames[index] as FrameSpec;
  const before = frames.slice(0, index);
  const after = frames.slice(index + 1);
  switch (change.kind) {
    case 'fin':
      return [...before, { ...target, fin: !target.fin }, ...after];
    case 'rsv':
      return [...before, { ...target, rsv: change.rsv }, ...after];
    case 'opcode':
      return [...before, { ...target, opcode: change.opcode }, ...after];
    case 'unmask':
      return [...before, { ...target, mask: undefined }, ...after];
    case 'drop':
      return [...before, ...after];
    case 'repeat':
      return [...before, target, target, ...after];
  }
};

/** A message with one thing wrong (or, by chance, still right: dropping a ping is harmless). */
export const brokenMessage = (limits: Limits): fc.Arbitrary<FrameSpec[]> =>
  fc
    .tuple(message(limits), fc.nat(), mutation)
    .map(([frames, at, change]) => mutate(frames, at, change));

/** Well-formed text messages (valid UTF-8, within the limit) and control frames only. */
export const validSequence = (limits: Limits): fc.Arbitrary<FrameSpec[]> =>
  fc
    .array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: message(limits, {
            payload: validTextPayload(limits.maxMessageBytes),
            binaryWeight: 0,
            controlWeight: 2,
          }),
        },
        { weight: 1, arbitrary: controlFrame.map((f) => [f]) },
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => items.flat());

/** Text messages of edge code points, a fault in about half of them, cut anywhere. */
export const utf8Sequence = (limits: Limits): fc.Arbitrary<FrameSpec[]> =>
  fc
    .array(message(limits, { payload: utf8EdgePayload(8, 10), binaryWeight: 0 }), {
      minLength: 1,
      maxLength: 3,
    })
    .map((items) => items.flat());

/** Messages, a close frame of any payload, and more frames the server must ignore. */
export const closingSequence = (limits: Limits): fc.Arbitrary<FrameSpec[]> => {
  const valid = message(limits, {
    payload: validTextPayload(limits.maxMessageBytes),
    binaryWeight: 0,
  });
  const some = fc.array(valid, { maxLength: 2 }).map((items) => items.flat());
  const unfinished = valid.map((frames) => frames.filter((f) => !f.fin || f.opcode >= 8));
  return fc
    .tuple(
      some,
      fc.option(unfinished, { nil: [] }),
      closeFrame,
      fc.array(
        fc.oneof(
          valid,
          controlFrame.map((f) => [f]),
        ),
        { maxLength: 2 },
      ),
    )
    .map(([before, open, close, after]) => [...before, ...open, close, ...after.flat()]);
};

/** Anything: well-formed, broken, wild, closing, over the limits, in any order. */
export const anySequence = (limits: Limits): fc.Arbitrary<FrameSpec[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: message(limits) },
        { weight: 3, arbitrary: brokenMessage(limits) },
        { weight: 2, arbitrary: controlFrame.map((f) => [f]) },
        { weight: 2, arbitrary: wildFrame.map((f) => [f]) },
        { weight: 2, arbitrary: closeFrame.map((f) => [f]) },
        { weight: 1, arbitrary: overLimitFrame(limits).map((f) => [f]) },
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((items) => items.flat());

/** How the byte stream is cut into TCP writes, and whether the event loop turns between them. */
export type Chunking = Readonly<{ cuts: number[]; pause: boolean }>;

export const chunking: fc.Arbitrary<Chunking> = fc.record({
  cuts: fc.oneof(
    { weight: 2, arbitrary: fc.constant<number[]>([]) },
    { weight: 3, arbitrary: fc.array(fc.nat(), { maxLength: 6 }) },
  ),
  pause: fc.boolean(),
});

export const chunksOf = (frames: readonly FrameSpec[], { cuts }: Chunking): Buffer[] => {
  const bytes = encodeFrames(frames);
  return splitAt(
    bytes,
    cuts.map((cut) => cut % Math.max(1, bytes.length)),
  );
};
