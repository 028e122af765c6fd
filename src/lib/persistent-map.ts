/**
 * An immutable, persistent map from strings to `V`: a hash array mapped trie in the CHAMP layout
 * (Steindorfer & Vinju, 2015). Each level consumes 5 bits of a 32-bit key hash (32-way
 * branching). `set` and `delete` copy only the O(log32 n) nodes on the path to the key and never
 * change a node once a map can reach it, so every earlier version stays valid.
 *
 * The tree is canonical: it depends only on the set of entries, not on the edits that made it.
 * A slot holding one entry holds it inline, a sub-node exists only for two or more entries
 * (`delete` collapses it back), and keys whose whole hash collides sit at full depth, sorted.
 * The tree lives in public fields, so structural equality (node's deepStrictEqual, ava's
 * deepEqual) compares two maps by their entries.
 *
 * Iteration is depth-first: a node's inline entries in slot order, then its sub-nodes in slot
 * order. Arbitrary, but deterministic, since it follows from the canonical tree.
 */
import {
  type Branch,
  deleteIn,
  EMPTY_ROOT,
  entriesOf,
  type Hash,
  hashKey,
  lookup,
  NOT_FOUND,
  type Node,
  setIn,
  walk,
} from './champ-nodes.ts';

export { hashKey } from './champ-nodes.ts';

export class PersistentMap<V> implements ReadonlyMap<string, V> {
  // Configuration, not content: #private, so structural equality ignores it.
  readonly #hash: Hash;

  private constructor(
    readonly root: Branch<V>,
    readonly size: number,
    hash: Hash,
  ) {
    this.#hash = hash;
  }

  static empty<V>(): PersistentMap<V> {
    return EMPTY;
  }

  /** Like `new Map(entries)`: a later entry for a key replaces an earlier one. */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  /** For tests: an empty map that hashes keys with `hash` (say, one that collides on purpose). */
  static emptyWithHash<V>(hash: (key: string) => number): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_ROOT, 0, hash);
  }

  get(key: string): V | undefined {
    return lookup(this.root, this.#hash(key), key, undefined);
  }

  has(key: string): boolean {
    return lookup(this.root, this.#hash(key), key, NOT_FOUND) !== NOT_FOUND;
  }

  /** A map with `key` bound to `value`; `this` if it already was (by `===`). */
  set(key: string, value: V): PersistentMap<V> {
    const op = { hashOf: this.#hash, key, hash: this.#hash(key), value, sizeDelta: 0 };
    const root = setIn(this.root, 0, op);
    return this.#withRoot(root, op.sizeDelta);
  }

  /** A map without `key`; `this` if it had none. */
  delete(key: string): PersistentMap<V> {
    const op = { hashOf: this.#hash, key, hash: this.#hash(key), value: undefined, sizeDelta: 0 };
    const root = deleteIn(this.root, 0, op);
    return this.#withRoot(root, op.sizeDelta);
  }

  #withRoot(root: Node<V>, sizeDelta: number): PersistentMap<V> {
    if (root === this.root) return this;
    return new PersistentMap(root as Branch<V>, this.size + sizeDelta, this.#hash);
  }

  forEach(
    callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void,
    thisArg?: unknown,
  ): void {
    walk(this.root, (value, key) => callback.call(thisArg, value, key, this));
  }

  entries(): MapIterator<[string, V]> {
    return entriesOf(this.root);
  }

  *keys(): MapIterator<string> {
    for (const [key] of entriesOf(this.root)) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of entriesOf(this.root)) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return entriesOf(this.root);
  }
}

const EMPTY: PersistentMap<never> = PersistentMap.emptyWithHash(hashKey);
