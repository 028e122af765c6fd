import { EventEmitter, once } from 'node:events';
import { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'ava';
import { closeWithin, cutOffAfter } from '../../../src/adapters/kit/closing.ts';

const GRACE_MS = 5;

/**
 * Until a timer of `GRACE_MS` started now fires: Node fires timers of one duration in the order
 * they were started, so any grace timer started before has fired (or was cleared) by then.
 */
const pastTheGrace = (): Promise<void> => sleep(GRACE_MS);

const socket = (): Duplex =>
  new Duplex({
    read() {},
    write(_chunk, _encoding, done) {
      done();
    },
  });

test('closeWithin resolves at once for what has closed already, and says no goodbye', async (t) => {
  let goodbyes = 0;
  let cuts = 0;
  await closeWithin(
    new EventEmitter(),
    true,
    () => cuts++,
    () => goodbyes++,
    GRACE_MS,
  );
  await pastTheGrace();
  t.deepEqual([goodbyes, cuts], [0, 0]);
});

test('closeWithin says goodbye and resolves on close; a peer that closes in time is not cut', async (t) => {
  const emitter = new EventEmitter();
  let cuts = 0;
  let goodbyes = 0;
  const closed = closeWithin(
    emitter,
    false,
    () => cuts++,
    () => {
      goodbyes++;
      setImmediate(() => emitter.emit('close'));
    },
    GRACE_MS,
  );
  t.is(goodbyes, 1, 'the goodbye is said at once');
  await closed;
  await pastTheGrace();
  t.is(cuts, 0);
});

test('closeWithin cuts a peer that does not close within the grace, and resolves once it closes', async (t) => {
  const emitter = new EventEmitter();
  let cuts = 0;
  await closeWithin(
    emitter,
    false,
    () => {
      cuts++;
      emitter.emit('close');
    },
    () => {},
    GRACE_MS,
  );
  t.is(cuts, 1);
});

test('cutOffAfter destroys a socket that has not closed within the grace', async (t) => {
  const s = socket();
  cutOffAfter(s, GRACE_MS);
  t.false(s.destroyed);
  await once(s, 'close');
  t.true(s.destroyed);
});

test('cutOffAfter leaves alone a socket that closed in time', async (t) => {
  const s = socket();
  cutOffAfter(s, GRACE_MS);
  s.emit('close');
  await pastTheGrace();
  t.false(s.destroyed);
});
