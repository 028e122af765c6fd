import test, { type ExecutionContext } from 'ava';
import type { Engine, EngineLimits, RoomMessage } from '../../src/app/ports/engine.port.ts';

/** A clock the suite moves by hand. */
export class ManualClock {
  constructor(private time = 1_700_000_000_000) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

/** Makes a fresh engine (an empty store) with these limits and this clock. */
export type MakeEngine = (limits: EngineLimits, clock: ManualClock) => Promise<Engine>;

const LIMITS: EngineLimits = {
  historySize: 100,
  historyTtlMs: 86_400_000,
  dedupeWindowMs: 300_000,
};

const seqs = (messages: readonly RoomMessage[]): number[] => messages.map((m) => m.seq);

/** How long a listener waits for the messages a test expects (a shared engine delivers later). */
const DELIVERY_WAIT_MS = 10_000;

/** What a subscriber of `room` gets, as `pick` sees each message; `first(n)` waits for n of them. */
export const listen = <T>(engine: Engine, room: string, pick: (message: RoomMessage) => T) => {
  const values: T[] = [];
  let wake = () => {};
  const stop = engine.subscribe(room, (message) => {
    values.push(pick(message));
    wake();
  });
  const first = (count: number): Promise<T[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${values.length} of ${count} messages in ${DELIVERY_WAIT_MS} ms`)),
        DELIVERY_WAIT_MS,
      );
      wake = () => {
        if (values.length < count) return;
        clearTimeout(timer);
        resolve(values.slice(0, count));
      };
      wake();
    });
  return { values, first, stop };
};

/** Declares one test of the suite: plain `test`, or one that needs a server (`redisTest`). */
export type DeclareTest = (
  title: string,
  implementation: (t: ExecutionContext) => Promise<void>,
) => void;

/**
 * The engine contract: what every engine (memory, Redis) must do, as PROTOCOL-v2 says it.
 * `name` prefixes each test; `make` gives a fresh engine per test.
 */
export const engineContract = (
  name: string,
  make: MakeEngine,
  declare: DeclareTest = (title, implementation) => test(title, implementation),
): void => {
  const setUp = async (limits: Partial<EngineLimits> = {}) => {
    const clock = new ManualClock();
    const engine = await make({ ...LIMITS, ...limits }, clock);
    const send = (room: string, text: string, extra: { from?: string; id?: string } = {}) =>
      engine.publish({
        room,
        text,
        from: extra.from ?? 'ann',
        at: clock.now(),
        ...(extra.id ? { id: extra.id } : {}),
      });
    return { clock, engine, send };
  };

  declare(
    `${name}: each room numbers its messages 1, 2, 3 … in one epoch of its own`,
    async (t) => {
      const { engine, send } = await setUp();
      const a = [await send('a', 'a1'), await send('a', 'a2'), await send('a', 'a3')];
      const b = [await send('b', 'b1')];
      t.deepEqual(
        a.map((s) => s.message.seq),
        [1, 2, 3],
      );
      t.deepEqual(
        b.map((s) => s.message.seq),
        [1],
      );
      t.true(a.every((s) => !s.repeat && s.message.epoch === a[0]?.message.epoch));
      t.like(a[1]?.message, { room: 'a', text: 'a2', from: 'ann' });
      const joined = await engine.join('a', {});
      t.like(joined, { seq: 3, epoch: a[0]?.message.epoch, messages: [] });
      t.is(joined.recovered, undefined);
    },
  );

  declare(`${name}: concurrent sends to one room get consecutive seqs, each once`, async (t) => {
    const { send } = await setUp();
    const stored = await Promise.all(Array.from({ length: 50 }, (_, i) => send('r', `m${i}`)));
    t.deepEqual(
      seqs(stored.map((s) => s.message)).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
  });

  declare(
    `${name}: a room never used is at seq 0 with an epoch, and joins answer nothing to resume`,
    async (t) => {
      const { engine } = await setUp();
      const joined = await engine.join('new-room', { history: 10 });
      t.is(joined.seq, 0);
      t.is(typeof joined.epoch, 'string');
      t.true(joined.epoch.length > 0);
      t.deepEqual(joined.messages, []);
      t.deepEqual(await engine.join('new-room', { since: { epoch: joined.epoch, seq: 0 } }), {
        epoch: joined.epoch,
        seq: 0,
        recovered: true,
        messages: [],
      });
    },
  );

  declare(
    `${name}: join with history gets the newest K; with since inside history, exactly what followed`,
    async (t) => {
      const { engine, send } = await setUp();
      for (let i = 1; i <= 10; i++) await send('r', `m${i}`);
      const { epoch } = await engine.join('r', {});
      t.deepEqual(seqs((await engine.join('r', { history: 3 })).messages), [8, 9, 10]);
      const resumed = await engine.join('r', { since: { epoch, seq: 6 }, history: 2 });
      t.true(resumed.recovered);
      t.deepEqual(seqs(resumed.messages), [7, 8, 9, 10]);
      const otherEpoch = await engine.join('r', {
        since: { epoch: `${epoch}x`, seq: 6 },
        history: 2,
      });
      t.false(otherEpoch.recovered);
      t.deepEqual(seqs(otherEpoch.messages), [9, 10]);
      t.false((await engine.join('r', { since: { epoch, seq: 11 } })).recovered);
    },
  );

  declare(
    `${name}: history keeps the last --history-size messages; a resume from before them is not recovered`,
    async (t) => {
      const { engine, send } = await setUp({ historySize: 5 });
      for (let i = 1; i <= 12; i++) await send('r', `m${i}`);
      const { epoch } = await engine.join('r', {});
      t.deepEqual(seqs(await engine.history('r', 50)), [8, 9, 10, 11, 12]);
      t.true((await engine.join('r', { since: { epoch, seq: 7 } })).recovered);
      const gap = await engine.join('r', { since: { epoch, seq: 6 }, history: 50 });
      t.false(gap.recovered);
      t.deepEqual(seqs(gap.messages), [8, 9, 10, 11, 12]);
    },
  );

  declare(`${name}: history pages: the newest up to limit before a seq, ascending`, async (t) => {
    const { engine, send } = await setUp();
    for (let i = 1; i <= 10; i++) await send('r', `m${i}`);
    t.deepEqual(seqs(await engine.history('r', 3)), [8, 9, 10]);
    t.deepEqual(seqs(await engine.history('r', 3, 8)), [5, 6, 7]);
    t.deepEqual(seqs(await engine.history('r', 50, 3)), [1, 2]);
    t.deepEqual(seqs(await engine.history('r', 5, 1)), []);
    t.deepEqual(seqs(await engine.history('nowhere', 5)), []);
  });

  declare(
    `${name}: history expires --history-ttl-ms after the room's last message; its numbering stays`,
    async (t) => {
      const { engine, send, clock } = await setUp({ historyTtlMs: 60_000 });
      for (let i = 1; i <= 3; i++) await send('r', `m${i}`);
      const { epoch } = await engine.join('r', {});
      clock.advance(59_999);
      t.deepEqual(seqs(await engine.history('r', 10)), [1, 2, 3]);
      clock.advance(1);
      t.deepEqual(seqs(await engine.history('r', 10)), []);
      t.true((await engine.join('r', { since: { epoch, seq: 3 } })).recovered, 'up to date');
      t.false(
        (await engine.join('r', { since: { epoch, seq: 2 } })).recovered,
        'message 3 is gone',
      );
      const next = await send('r', 'm4');
      t.like(next.message, { seq: 4, epoch });
    },
  );

  declare(
    `${name}: a repeated client id from the same name to the same room within the window is not stored again`,
    async (t) => {
      const { engine, send, clock } = await setUp({ dedupeWindowMs: 1_000 });
      const live = listen(engine, 'r', (message) => message.seq);
      const first = await send('r', 'hello', { id: 'c1' });
      await send('r', 'other');
      clock.advance(999);
      const again = await send('r', 'hello', { id: 'c1' });
      t.true(again.repeat);
      t.like(again.message, { seq: first.message.seq, id: 'c1', text: 'hello' });
      t.false((await send('r', 'hello', { id: 'c1', from: 'bob' })).repeat, 'another name');
      t.false((await send('s', 'hello', { id: 'c1' })).repeat, 'another room');
      clock.advance(1);
      const later = await send('r', 'hello', { id: 'c1' });
      t.false(later.repeat, 'past the window the id is free again');
      t.deepEqual(await live.first(4), [1, 2, 3, 4]);
      t.deepEqual(seqs(await engine.history('r', 10)), [1, 2, 3, 4]);
    },
  );

  declare(
    `${name}: subscribers get each message of their room once, in seq order, until they stop`,
    async (t) => {
      const { engine, send } = await setUp();
      const got = listen(engine, 'r', (message) => `${message.room}:${message.seq}`);
      await Promise.all([send('r', 'x'), send('r', 'y'), send('other', 'z')]);
      await send('r', 'w');
      t.deepEqual(await got.first(3), ['r:1', 'r:2', 'r:3']);
      got.stop();
      await send('r', 'after');
      // A listener that comes later gets the next message: the stopped one would have had 4 first.
      const later = listen(engine, 'r', (message) => message.seq);
      await send('r', 'last');
      t.deepEqual(await later.first(1), [5]);
      t.deepEqual(got.values, ['r:1', 'r:2', 'r:3']);
    },
  );

  declare(`${name}: a new, empty store gives a room another epoch`, async (t) => {
    const first = await setUp();
    await first.send('r', 'x');
    const second = await setUp();
    t.not((await first.engine.join('r', {})).epoch, (await second.engine.join('r', {})).epoch);
  });
};
