import assert from 'node:assert/strict';
import type { PersistentMap } from '../../../src/lib/persistent-map.ts';
import type { KeySpace } from './key-spaces.ts';

type Entry = readonly [string, number];

/** The model: a native Map, changed in place. */
export type MapModel = Map<string, number>;

/** Entries in key order, to compare contents whatever order a map iterates in. */
export const sorted = (entries: Iterable<Entry>): Entry[] =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Sets `entries` one by one, in the order given, on the key space's empty map. */
export const build = (space: KeySpace, entries: Iterable<Entry>): PersistentMap<number> => {
  let map = space.empty();
  for (const [key, value] of entries) map = map.set(key, value);
  return map;
};

type Version = Readonly<{ map: PersistentMap<number>; entries: readonly Entry[] }>;

/** The real system: the latest map, and every map made so far with the entries it had then. */
export class MapSystem {
  map: PersistentMap<number>;
  readonly versions: Version[] = [];

  constructor(readonly space: KeySpace) {
    this.map = space.empty();
    this.versions.push({ map: this.map, entries: [] });
  }

  /** Moves on to `next`, which should now hold the same entries as `model`. */
  update(next: PersistentMap<number>, model: MapModel): void {
    this.map = next;
    this.versions.push({ map: next, entries: sorted(model) });
  }
}

/** Every entry once and nothing else, through each iteration method, all in the same order. */
export const assertIteration = (map: PersistentMap<number>, expected: readonly Entry[]): void => {
  const entries = [...map];
  assert.equal(entries.length, map.size, 'iteration yields `size` entries');
  assert.equal(new Set(entries.map(([key]) => key)).size, entries.length, 'each key once');
  assert.deepStrictEqual(sorted(entries), expected, 'entries');
  assert.deepStrictEqual([...map.entries()], entries, 'entries() in iteration order');
  assert.deepStrictEqual(
    [...map.keys()],
    entries.map(([key]) => key),
    'keys() in order',
  );
  assert.deepStrictEqual(
    [...map.values()],
    entries.map(([, value]) => value),
    'values()',
  );
  const visited: Entry[] = [];
  map.forEach((value, key, self) => {
    assert.equal(self, map, 'forEach passes the map');
    visited.push([key, value]);
  });
  assert.deepStrictEqual(visited, entries, 'forEach in iteration order');
};

/** A version made earlier still holds exactly the entries it had when it was made. */
export const assertUnchanged = ({ map, entries }: Version, label: string): void => {
  assert.equal(map.size, entries.length, `${label}: size`);
  assert.deepStrictEqual(sorted(map), entries, `${label}: entries`);
  for (const [key, value] of entries) assert.equal(map.get(key), value, `${label}: get(${key})`);
};

export const assertMatches = (model: MapModel, real: MapSystem): void => {
  const { map, space, versions } = real;
  assert.equal(map.size, model.size, 'size');
  for (const key of space.keys) {
    assert.equal(map.has(key), model.has(key), `has(${JSON.stringify(key)})`);
    assert.equal(map.get(key), model.get(key), `get(${JSON.stringify(key)})`);
  }
  const expected = sorted(model);
  assertIteration(map, expected);
  const previous = versions.at(-2);
  if (previous !== undefined) assertUnchanged(previous, 'the version before this step');
  // Canonical form: however this map was reached, it is the one these entries always build.
  assert.deepStrictEqual(map, build(space, expected), 'equals the map built in key order');
  assert.deepStrictEqual(map, build(space, expected.toReversed()), 'built in reverse order');
};
