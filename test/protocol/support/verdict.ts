import type { Ending, Observation } from './harness.ts';
import { describeEnd, type End, type Prediction } from './oracle.ts';

const show = (buffers: readonly Buffer[]): string =>
  `[${buffers.map((b) => (b.length > 40 ? `<${b.length} bytes>` : JSON.stringify(b.toString('latin1')))).join(', ')}]`;

const same = (a: readonly Buffer[], b: readonly Buffer[]): boolean =>
  a.length === b.length && a.every((buffer, i) => buffer.equals(b[i] as Buffer));

export const describeEnding = (ending: Ending): string => {
  switch (ending.kind) {
    case 'open':
      return 'still open';
    case 'cut':
      return 'TCP closed without a close frame';
    case 'closed':
      return `closed by the server with ${ending.code ?? 'an empty close'} "${ending.reason}"`;
  }
};

const endingMatches = (ending: Ending, end: End): boolean => {
  switch (end.kind) {
    case 'open':
      return ending.kind === 'open';
    case 'fail':
      return (
        ending.kind === 'closed' &&
        ending.code !== undefined &&
        end.codes.includes(ending.code) &&
        ending.reason === end.reason
      );
    case 'echo':
      return ending.kind === 'closed' && ending.code === end.code;
  }
};

/**
 * Every way an observed case differs from the expected one (empty: it matched). Besides the
 * prediction itself: the observer saw exactly the broadcasts, the sender got its own (all of
 * them when it stayed open, a prefix when it was closed), the server never masked a frame, set
 * an RSV bit or sent anything after its close frame, and logged no error.
 */
export const mismatches = (observation: Observation, expected: Prediction): string[] => {
  const found: string[] = [];
  const { ending, broadcasts, observed, pongs, ownTexts } = observation;
  if (!endingMatches(ending, expected.end)) {
    found.push(`ending: expected ${describeEnd(expected.end)}, got ${describeEnding(ending)}`);
  }
  if (!same(broadcasts, expected.broadcasts)) {
    found.push(`broadcasts: expected ${show(expected.broadcasts)}, got ${show(broadcasts)}`);
  }
  if (!same(observed, expected.broadcasts)) {
    found.push(`observer: expected ${show(expected.broadcasts)}, got ${show(observed)}`);
  }
  if (!same(pongs, expected.pongs)) {
    found.push(`pongs: expected ${show(expected.pongs)}, got ${show(pongs)}`);
  }
  const own =
    ending.kind === 'open' ? expected.broadcasts : expected.broadcasts.slice(0, ownTexts.length);
  if (!same(ownTexts, own)) {
    found.push(`own messages: expected ${show(own)}, got ${show(ownTexts)}`);
  }
  for (const frame of observation.badServerFrames) {
    found.push(
      `bad server frame: opcode ${frame.opcode}, rsv ${frame.rsv}, masked ${frame.masked}`,
    );
  }
  for (const line of observation.errors) found.push(`server error: ${line}`);
  return found;
};
