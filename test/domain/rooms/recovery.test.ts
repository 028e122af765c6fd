import test from 'ava';
import fc from 'fast-check';
import { canRecover, type RoomWindow, recover } from '../../../src/domain/rooms/index.ts';

type Message = Readonly<{ seq: number }>;

/** A room as an engine may hold it: `latest` messages so far, the newest `kept` of them held. */
const windowArbitrary = fc
  .record({
    epoch: fc.constantFrom('e1', 'e2'),
    latest: fc.nat(40),
    kept: fc.nat(40),
  })
  .map(({ epoch, latest, kept }): RoomWindow<Message> => {
    const held = Math.min(kept, latest);
    return {
      epoch,
      latest,
      messages: Array.from({ length: held }, (_, i) => ({ seq: latest - held + 1 + i })),
    };
  });

const requestArbitrary = fc.record(
  {
    since: fc.record({ epoch: fc.constantFrom('e1', 'e2'), seq: fc.nat(45) }),
    history: fc.nat(50),
  },
  { requiredKeys: [] },
);

const seqs = (messages: readonly Message[]): number[] => messages.map((message) => message.seq);

test('recovered means exactly every message after since, ascending; not recovered means only the newest history asked for', (t) => {
  fc.assert(
    fc.property(windowArbitrary, requestArbitrary, (window, request) => {
      const answer = recover(window, request);
      const { since, history = 0 } = request;
      if (since === undefined) {
        t.is(answer.recovered, undefined);
      } else if (answer.recovered === true) {
        const expected = Array.from(
          { length: window.latest - since.seq },
          (_, i) => since.seq + 1 + i,
        );
        t.deepEqual(seqs(answer.messages), expected);
        t.is(since.epoch as string, window.epoch as string);
        return;
      } else {
        t.false(answer.recovered);
      }
      const held = seqs(window.messages);
      t.deepEqual(seqs(answer.messages), held.slice(Math.max(0, held.length - history)));
    }),
    { numRuns: 2_000 },
  );
});

test('a resume is recovered exactly when the epoch matches, since is not ahead, and nothing after it is missing', (t) => {
  fc.assert(
    fc.property(windowArbitrary, requestArbitrary, (window, request) => {
      if (request.since === undefined) return;
      const { epoch, seq } = request.since;
      const held = new Set(seqs(window.messages));
      let everyLaterHeld = true;
      for (let s = seq + 1; s <= window.latest; s++) everyLaterHeld &&= held.has(s);
      const expected = epoch === window.epoch && seq <= window.latest && everyLaterHeld;
      t.is(canRecover(window, request.since), expected);
      t.is(recover(window, request).recovered, expected);
    }),
    { numRuns: 2_000 },
  );
});

test('examples: up to date, a gap, another epoch, ahead of the room, an empty room', (t) => {
  const window: RoomWindow<Message> = {
    epoch: 'e',
    latest: 10,
    messages: [{ seq: 8 }, { seq: 9 }, { seq: 10 }],
  };
  t.deepEqual(recover(window, { since: { epoch: 'e', seq: 10 } }), {
    recovered: true,
    messages: [],
  });
  t.deepEqual(seqs(recover(window, { since: { epoch: 'e', seq: 7 } }).messages), [8, 9, 10]);
  t.deepEqual(recover(window, { since: { epoch: 'e', seq: 6 }, history: 2 }), {
    recovered: false,
    messages: [{ seq: 9 }, { seq: 10 }],
  });
  t.false(recover(window, { since: { epoch: 'other', seq: 10 } }).recovered);
  t.false(recover(window, { since: { epoch: 'e', seq: 11 } }).recovered);
  const empty: RoomWindow<Message> = { epoch: 'e', latest: 0, messages: [] };
  t.deepEqual(recover(empty, { since: { epoch: 'e', seq: 0 } }), { recovered: true, messages: [] });
  // History expired, numbering kept: only a client already up to date is recovered.
  const expired: RoomWindow<Message> = { epoch: 'e', latest: 5, messages: [] };
  t.true(recover(expired, { since: { epoch: 'e', seq: 5 } }).recovered);
  t.false(recover(expired, { since: { epoch: 'e', seq: 4 } }).recovered);
});
