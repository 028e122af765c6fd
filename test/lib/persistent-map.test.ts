import assert from 'node:assert/strict';

/** fast-check reports the error of a failing run, with its seed. */
const report = { includeErrorInReport: true } as const;

import test from 'ava';
import fc from 'fast-check';
import { hashKey, PersistentMap } from '../../src/lib/persistent-map.ts';
import {
  colliding,
  collidingPairs,
  type KeySpace,
  keySpaces,
  paletteHash,
} from './persistent-map/key-spaces.ts';
import { mapCommands } from './persistent-map/map-commands.ts';
import {
  assertIteration,
  assertMatches,
  assertUnchanged,
  build,
  type MapModel,
  MapSystem,
  sorted,
} from './persistent-map/model.ts';

// Properties assert with node:assert (which throws) so fast-check can shrink and print its
// report; see hub.model.test.ts.

test('the empty map holds nothing and is shared', (t) => {
  const empty = PersistentMap.empty<number>();
  t.is(empty.size, 0);
  t.false(empty.has('a'));
  t.is(empty.get('a'), undefined);
  t.deepEqual([...empty], []);
  t.is(PersistentMap.empty<string>(), PersistentMap.empty<string>());
  t.is(empty.delete('a'), empty);
});

test('from is like new Map: a later entry for a key wins', (t) => {
  const map = PersistentMap.from([
    ['a', 1],
    ['b', 2],
    ['a', 3],
  ]);
  t.is(map.size, 2);
  t.is(map.get('a'), 3);
  t.deepEqual(sorted(map), [
    ['a', 3],
    ['b', 2],
  ]);
});

test('get and has tell a key bound to undefined from a missing one', (t) => {
  const map = PersistentMap.empty<number | undefined>().set('a', undefined);
  t.is(map.size, 1);
  t.true(map.has('a'));
  t.false(map.has('b'));
  t.is(map.set('a', undefined), map);
  t.is(map.delete('a').size, 0);
});

test('setting a value already there and deleting a missing key return the map itself', (t) => {
  const value = { cursor: 1 };
  const map = PersistentMap.from([['a', value]]);
  t.is(map.set('a', value), map);
  t.not(map.set('a', { cursor: 1 }), map);
  t.is(map.delete('b'), map);
});

/** murmur3's 32-bit finaliser, as published with MurmurHash3 (fmix32). */
const fmix32 = (h: number): number => {
  let x = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
};

test('hashKey is 32-bit FNV-1a, then fmix32: the published FNV-1a test vectors', (t) => {
  // FNV-1a 32-bit of "", "a" and "foobar", from the FNV reference test suite.
  const vectors: [string, number][] = [
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ];
  for (const [key, fnv1a] of vectors) t.is(hashKey(key), fmix32(fnv1a), JSON.stringify(key));
});

test('real hashKey collisions share a collision node, and deleting one collapses it back', (t) => {
  for (const [a, b] of collidingPairs(3)) {
    t.is(hashKey(a), hashKey(b), `${a} and ${b} collide`);
    const both = PersistentMap.from([
      [a, 1],
      [b, 2],
    ]);
    t.is(both.size, 2);
    t.is(both.get(a), 1);
    t.is(both.get(b), 2);
    t.deepEqual(
      both,
      PersistentMap.from([
        [b, 2],
        [a, 1],
      ]),
    );
    t.deepEqual(both.delete(a), PersistentMap.from([[b, 2]]));
    t.deepEqual(both.delete(b).delete(a), PersistentMap.empty());
    t.notDeepEqual(both.delete(a), both.delete(b));
  }
});

// ava's deepEqual (concordance) and node's deepStrictEqual both compare the public tree.
test('ava deepEqual: the same entries are equal however built; other entries are not', (t) => {
  const [a, b] = collidingPairs(1)[0] as [string, string];
  const keys = [a, b, ...Array.from({ length: 200 }, (_, i) => `c${i}`)];
  const entries = keys.map((key, i): [string, number] => [key, i]);
  const forwards = PersistentMap.from(entries);
  const withExtras = PersistentMap.from([
    ...entries.map(([k]) => [`x${k}`, 0] as const),
    ...entries,
  ]);
  const backwards = entries
    .toReversed()
    .reduce((map, [key, value]) => map.set(key, -1).set(key, value), withExtras);
  const cleaned = entries.reduce((map, [key]) => map.delete(`x${key}`), backwards);
  t.deepEqual(cleaned, forwards);
  t.notDeepEqual(forwards.set('c7', 0), forwards);
  t.notDeepEqual(forwards.delete('c7'), forwards);
  t.notDeepEqual(forwards.delete(b), forwards.delete(a));
  t.notDeepEqual(PersistentMap.from([['a', 1]]), PersistentMap.from([['b', 1]]));
  t.notDeepEqual(PersistentMap.from([['a', 1]]), PersistentMap.empty());
});

test('10,000 keys: deleting a third in shuffled order leaves the map built from the rest', (t) => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
  const all = PersistentMap.from(keys.map((key, i) => [key, i] as const));
  t.is(all.size, 10_000);
  // A fixed permutation (multiplying by a unit mod 10,000) stands in for a shuffle.
  const doomed = keys.map((_, i) => `c${(i * 7_919) % 10_000}`).filter((_, i) => i % 3 === 0);
  const left = doomed.reduce((map, key) => map.delete(key), all);
  const gone = new Set(doomed);
  const rest = keys.flatMap((key, i) => (gone.has(key) ? [] : [[key, i] as const]));
  t.is(left.size, rest.length);
  t.deepEqual(left, PersistentMap.from(rest.toReversed()));
  assertIteration(left, sorted(rest));
  assertUnchanged({ map: all, entries: sorted(keys.map((key, i) => [key, i] as const)) }, 'all');
});

const entriesOf = (space: KeySpace) =>
  fc.uniqueArray(fc.tuple(fc.constantFrom(...space.keys), fc.nat(3)), {
    selector: ([key]) => key,
  });

for (const space of keySpaces) {
  test(`behaves like a native Map and keeps every version (${space.name})`, (t) => {
    fc.assert(
      fc.property(mapCommands(space), (commands) => {
        let real = new MapSystem(space);
        fc.modelRun(() => {
          real = new MapSystem(space);
          return { model: new Map() as MapModel, real };
        }, commands);
        real.versions.forEach((version, i) => {
          assertUnchanged(version, `version ${i}`);
        });
      }),
      { numRuns: 1000, ...report },
    );
    t.pass();
  });

  test(`the tree depends only on the entries, not on the edits (${space.name})`, (t) => {
    fc.assert(
      fc.property(
        entriesOf(space).chain((entries) =>
          fc.tuple(
            fc.constant(entries),
            fc.shuffledSubarray(entries, { minLength: entries.length }),
            entriesOf(space),
          ),
        ),
        ([entries, shuffled, noise]) => {
          const direct = build(space, entries);
          // Another route: noise first, then the entries in another order, then drop the noise.
          const noisy = build(space, [...noise, ...shuffled]);
          const kept = new Set(entries.map(([key]) => key));
          const indirect = noise.reduce((m, [key]) => (kept.has(key) ? m : m.delete(key)), noisy);
          assert.deepStrictEqual(indirect, direct);
          const model: MapModel = new Map(entries);
          const real = new MapSystem(space);
          real.update(direct, model);
          assertMatches(model, real);
          const other = build(space, noise);
          const same = JSON.stringify(sorted(noise)) === JSON.stringify(sorted(entries));
          if (!same) assert.notDeepStrictEqual(other, direct, 'other entries, other tree');
        },
      ),
      { numRuns: 1000, ...report },
    );
    t.pass();
  });
}

test('keys whose whole hash collides sit in a sorted collision node at full depth', (t) => {
  t.is(paletteHash('p0'), paletteHash('p8'));
  // 7 levels (shifts 0, 5, ..., 30) of slot 0, then the collision node.
  let node: unknown = colliding.empty().set('p8', 1).set('p0', 0).root;
  for (let level = 0; level < 7; level++) {
    t.like(node, { dataMap: 0, nodeMap: 1, keys: [], values: [] }, `level ${level}`);
    node = (node as { nodes: unknown[] }).nodes[0];
  }
  t.deepEqual({ ...(node as object) }, { keys: ['p0', 'p8'], values: [0, 1] });
});
