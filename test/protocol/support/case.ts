import test, { type ExecutionContext } from 'ava';
import type { ServerOverrides } from '../../support/start-server.ts';
import { encodeFrames, type FrameSpec } from './frames.ts';
import { type Observation, ProtocolHarness } from './harness.ts';
import { type End, type Prediction, predict } from './oracle.ts';
import { mismatches } from './verdict.ts';

export const open: End = { kind: 'open' };
/** The server fails the connection with `code` (and `reason`, empty for ws's own closes). */
export const fails = (code: number, reason = ''): End => ({ kind: 'fail', codes: [code], reason });
export const failsWithOneOf = (codes: readonly number[], reason = ''): End => ({
  kind: 'fail',
  codes,
  reason,
});
/** The client closed and the server answers with `code` (none: an empty close frame). */
export const echoes = (code?: number): End => ({ kind: 'echo', code });

export type Expected = Readonly<{
  end: End;
  broadcasts?: readonly (string | Buffer)[];
  pongs?: readonly (string | Buffer)[];
}>;

/** The frames, or the exact chunks to write (with `pause`, one event-loop turn between them). */
export type CaseInput =
  | readonly FrameSpec[]
  | Readonly<{
      frames: readonly FrameSpec[];
      chunks?: (bytes: Buffer) => Buffer[];
      pause?: boolean;
      /** Handshake headers to add, each ending in CRLF. */
      headers?: string;
    }>;

const toBuffer = (data: string | Buffer): Buffer =>
  typeof data === 'string' ? Buffer.from(data, 'utf8') : data;

const normalize = (expected: Expected): Prediction => ({
  end: expected.end,
  broadcasts: (expected.broadcasts ?? []).map(toBuffer),
  pongs: (expected.pongs ?? []).map(toBuffer),
});

/**
 * One server for the test file (its tests run serially on it), with an observer connected
 * before every case; call the returned function inside a test to get the harness.
 */
export const useHarness = (overrides: ServerOverrides = {}): (() => ProtocolHarness) => {
  let harness: ProtocolHarness | undefined;
  test.before(async () => {
    harness = await ProtocolHarness.start(overrides);
  });
  test.after.always(async () => {
    await harness?.stop();
  });
  return () => {
    if (harness === undefined) throw new Error('the harness did not start');
    return harness;
  };
};

/**
 * Runs one hand-written case and asserts the outcome written in the test: the close code (or
 * that the connection stays open), the broadcasts and the pongs, exactly; that the observer
 * saw exactly those broadcasts and a fresh client after the case still reached it (the
 * harness fails otherwise); and that the reference oracle predicts the same outcome.
 */
export const checkCase = async (
  t: ExecutionContext,
  harness: ProtocolHarness,
  input: CaseInput,
  expectedAsWritten: Expected,
): Promise<Observation> => {
  const options = 'frames' in input ? input : { frames: input };
  const { frames, chunks = (bytes: Buffer) => [bytes], pause = false, headers = '' } = options;
  const expected = normalize(expectedAsWritten);
  const observation = await harness.run(chunks(encodeFrames(frames)), pause, headers);
  t.deepEqual(mismatches(observation, expected), [], 'the server');
  t.deepEqual(predict(frames, harness.limits), expected, 'the oracle agrees with this test');
  return observation;
};
