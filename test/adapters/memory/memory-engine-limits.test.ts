import test from 'ava';
import { MemoryEngine } from '../../../src/adapters/memory/memory-engine.adapter.ts';
import { RoomLimitError } from '../../../src/app/ports/engine.port.ts';
import { ManualClock } from '../../contract/engine-contract.ts';

const engineWith = (maxRooms: number, historySize = 10) =>
  new MemoryEngine(
    { historySize, historyTtlMs: 60_000, dedupeWindowMs: 1_000, maxRooms },
    new ManualClock(),
  );

test('past --max-rooms the least recently used room without listeners is forgotten, and comes back with a new epoch', async (t) => {
  const engine = engineWith(2);
  const a = await engine.join('a', {});
  await engine.join('b', {});
  await engine.join('a', {}); // a is now the more recently used
  await engine.join('c', {}); // b goes
  t.is((await engine.join('a', {})).epoch, a.epoch, 'a is kept');
  const b = await engine.join('b', {}); // c goes (a was used last)
  t.is(b.seq, 0);
  t.deepEqual(await engine.history('c', 10), [], 'c is forgotten');
});

test('when every room has listeners a new room is refused', async (t) => {
  const engine = engineWith(2);
  engine.subscribe('a', () => {});
  engine.subscribe('b', () => {});
  await t.throwsAsync(() => engine.join('c', {}), { instanceOf: RoomLimitError });
  t.is((await engine.join('a', {})).seq, 0, 'the rooms with listeners still answer');
});

test('a large --history-size costs a small room nothing up front and still answers its history', async (t) => {
  const engine = engineWith(10, 100_000);
  for (let i = 0; i < 3; i++) await engine.publish({ room: 'r', text: `${i}`, from: 'x', at: 0 });
  t.deepEqual(
    (await engine.history('r', 10)).map((m) => m.text),
    ['0', '1', '2'],
  );
});

test('a room forgotten and made again has a new numbering: a client id sent before is fresh, not a repeat of another message', async (t) => {
  const engine = engineWith(1);
  const first = await engine.publish({ room: 'a', text: 'mine', from: 'ann', at: 0, id: 'k' });
  await engine.join('b', {}); // a is forgotten
  const again = await engine.publish({ room: 'a', text: 'mine', from: 'ann', at: 0, id: 'k' });
  t.false(again.repeat);
  t.not(again.message.epoch, first.message.epoch);
  t.deepEqual(
    (await engine.history('a', 10)).map((m) => m.text),
    ['mine'],
  );
});
