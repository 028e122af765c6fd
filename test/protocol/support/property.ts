import assert from 'node:assert/strict';
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import { describeFrame, type FrameSpec } from './frames.ts';
import type { ProtocolHarness } from './harness.ts';
import { type End, type Prediction, predict } from './oracle.ts';
import { type Chunking, chunksOf } from './sequences.ts';
import { mismatches } from './verdict.ts';

/** Coarse outcome classes, to check that a generator reaches the cases it is meant to. */
export const outcomeClass = (end: End): string => {
  switch (end.kind) {
    case 'open':
      return 'open';
    case 'echo':
      return 'echo';
    case 'fail':
      return end.codes.length > 1
        ? 'fail 1002|1009'
        : `fail ${end.codes[0]}${end.reason === '' ? '' : ' (hubbub)'}`;
  }
};

export type PropertyOptions = Readonly<{
  numRuns: number;
  /** Outcome classes each of which must come up in at least `minShare` of the runs. */
  mustReach: readonly string[];
  minShare?: number;
  /** An extra check, independent of the oracle (the prediction is passed for convenience). */
  alsoCheck?: (frames: readonly FrameSpec[], prediction: Prediction) => void;
}>;

/**
 * The property every generated case must pass: the real server, fed the frames cut into TCP
 * writes as generated, does exactly what the oracle predicts (see `mismatches`), the observer
 * sees exactly the predicted broadcasts, a fresh client is still served afterwards, and nothing
 * is logged as an error. Asserts with node:assert so fast-check shrinks and reports the seed
 * (printed, with the replay path, on failure; FC_SEED=<seed> replays a run).
 */
export const checkProperty = async (
  t: ExecutionContext,
  harness: ProtocolHarness,
  sequences: fc.Arbitrary<FrameSpec[]>,
  chunking: fc.Arbitrary<Chunking>,
  options: PropertyOptions,
): Promise<void> => {
  const seed =
    process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED);
  const tally = new Map<string, number>();
  // Counterexamples print as one line per frame rather than as raw buffers.
  const readable = sequences.map((frames) =>
    Object.assign([...frames], {
      [fc.toStringMethod]: () => `[\n  ${frames.map(describeFrame).join(',\n  ')}\n]`,
    }),
  );
  await fc.assert(
    fc.asyncProperty(readable, chunking, async (frames, chunks) => {
      const prediction = predict(frames, harness.limits);
      const observation = await harness.run(chunksOf(frames, chunks), chunks.pause);
      assert.deepEqual(mismatches(observation, prediction), []);
      options.alsoCheck?.(frames, prediction);
      const key = outcomeClass(prediction.end);
      tally.set(key, (tally.get(key) ?? 0) + 1);
    }),
    { numRuns: options.numRuns, seed, includeErrorInReport: true },
  );
  t.pass(`${options.numRuns} generated cases matched the oracle`);
  const shares = Object.fromEntries([...tally].sort(([a], [b]) => a.localeCompare(b)));
  t.log(`seed ${seed}, ${options.numRuns} runs:`, shares);
  const least = Math.ceil(options.numRuns * (options.minShare ?? 0.01));
  for (const key of options.mustReach) {
    t.true(
      (tally.get(key) ?? 0) >= least,
      `seed ${seed}: "${key}" reached only ${tally.get(key) ?? 0} times`,
    );
  }
};
