// The generator's count of what receivers saw: in-order runs per sender and misrouted messages.
import test from 'ava';
import { Recorder } from '../../bench/load/recorder.ts';

const deliver = (recorder: Recorder, receiver: number, sender: number, seqs: number[]): void => {
  for (const seq of seqs) recorder.deliver(receiver, { sender, seq, sentUs: 0 }, 10);
};

test('only messages received each right after the one before count: all of them only when none was skipped or repeated', (t) => {
  const recorder = new Recorder(3, 2);
  deliver(recorder, 0, 1, [0, 1, 2, 3]);
  deliver(recorder, 1, 1, [0, 2, 3]);
  deliver(recorder, 2, 1, [0, 1, 1, 2]);
  t.is(recorder.inOrder(0, 1), 4);
  t.is(recorder.inOrder(1, 1), 2, 'the one after a skipped message does not count');
  t.is(recorder.inOrder(2, 1), 3, 'a repeat does not count');
  t.is(recorder.inOrder(0, 0), 0);
  t.is(recorder.gaps, 1);
  t.is(recorder.disorder, 1);
});

test("with rooms, a delivery from another room's sender is misrouted; without, nothing is", (t) => {
  const inRooms = new Recorder(4, 2, Int32Array.from([0, 0, 1, -1]));
  deliver(inRooms, 0, 0, [0]);
  deliver(inRooms, 2, 1, [0]);
  t.is(inRooms.misrouted, 0);
  deliver(inRooms, 1, 1, [0]);
  deliver(inRooms, 3, 0, [0]);
  t.is(inRooms.misrouted, 2);
  const everyone = new Recorder(2, 2);
  deliver(everyone, 0, 1, [0]);
  deliver(everyone, 1, 0, [0]);
  t.is(everyone.misrouted, 0);
});
