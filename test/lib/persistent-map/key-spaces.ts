import { hashKey, PersistentMap } from '../../../src/lib/persistent-map.ts';

/** The keys a test draws from, and how to make an empty map that hashes them. */
export type KeySpace = Readonly<{
  name: string;
  keys: readonly string[];
  empty: () => PersistentMap<number>;
}>;

/**
 * Pairs of keys whose 32-bit `hashKey` is equal, found by a birthday search: among n keys some
 * two share a hash once n is near 2^16, so a few hundred thousand hashes (well under a second)
 * find several. Deterministic: the keys are `k0`, `k1`, ... in order.
 */
export const collidingPairs = (count: number): (readonly [string, string])[] => {
  const seen = new Map<number, string>();
  const pairs: (readonly [string, string])[] = [];
  for (let i = 0; pairs.length < count; i++) {
    const key = `k${i}`;
    const earlier = seen.get(hashKey(key));
    if (earlier === undefined) seen.set(hashKey(key), key);
    else pairs.push([earlier, key]);
  }
  return pairs;
};

/** Enough keys under the real hash that slots fill up and sub-nodes form, few enough to meet. */
export const small: KeySpace = {
  name: 'small key space, real hash',
  keys: Array.from({ length: 24 }, (_, i) => `s${i}`),
  empty: () => PersistentMap.empty(),
};

/** Real full-hash collisions (found above) mixed with ordinary keys, under the real hash. */
export const realCollisions: KeySpace = {
  name: 'real hashKey collisions',
  keys: [...collidingPairs(3).flat(), 'x', 'y', 'z', ''],
  empty: () => PersistentMap.empty(),
};

/**
 * Hashes chosen to stress the trie: equal in all 32 bits (collision nodes of two and three keys),
 * differing only in bits 30-31 (the short last level), only at level 0, and in slot 31 (whose bit
 * is negative as a 32-bit integer) at levels 0 and 5.
 */
const palette = [
  0x00000000, 0x80000000, 0x40000000, 0xc0000000, 0x00000001, 0x3e000000, 0x0000001f, 0xffffffff,
];
/** Key `pN` hashes to `palette[N % 8]`: p0, p8 and p16 all collide. */
export const paletteHash = (key: string): number => palette[Number(key.slice(1)) % 8] as number;
export const colliding: KeySpace = {
  name: 'crafted hash collisions',
  keys: Array.from({ length: 18 }, (_, i) => `p${i}`),
  empty: () => PersistentMap.emptyWithHash(paletteHash),
};

export const keySpaces: readonly KeySpace[] = [small, realCollisions, colliding];
