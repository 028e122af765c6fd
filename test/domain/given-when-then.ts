import type { ExecutionContext } from 'ava';
import { decide, type HubCommand, type HubEvent, replay } from '../../src/domain/index.ts';
import { emptyHub } from './fixtures.ts';

type ErrorClass = abstract new (...args: never[]) => Error;
type Spec = (t: ExecutionContext) => void;

/**
 * Decider specification in the emmett style, producing an ava implementation:
 *
 *   test('…', spec(3).given([registered('c1', 0)]).when(publish(1)).then([broadcast(1)]));
 *
 * `given` events are folded with `evolve` from `emptyHub(capacity)`; `when` runs `decide`.
 */
export const spec = (capacity: number) => ({
  given: (events: readonly HubEvent[]) => ({
    when: (command: HubCommand) => {
      const decideNow = () => decide(replay(emptyHub(capacity), events), command);
      return {
        // biome-ignore lint/suspicious/noThenProperty: the emmett-style `then(expectedEvents)` is the point; the object is never awaited.
        then:
          (expected: readonly HubEvent[]): Spec =>
          (t) => {
            t.deepEqual(decideNow(), expected);
          },
        thenThrows:
          (errorClass: ErrorClass, message?: RegExp): Spec =>
          (t) => {
            t.throws(
              decideNow,
              message === undefined
                ? { instanceOf: errorClass }
                : { instanceOf: errorClass, message },
            );
          },
      };
    },
  }),
});
