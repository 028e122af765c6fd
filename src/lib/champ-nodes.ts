/**
 * The nodes of a CHAMP trie (Steindorfer & Vinju, 2015) and the operations on them, for
 * `PersistentMap`: each level consumes 5 bits of a 32-bit key hash (32-way branching); `setIn`
 * and `deleteIn` copy only the nodes on the path to the key and never change a node a map can
 * reach; the tree stays canonical (see persistent-map.ts).
 */

const BITS = 5;
const MASK = 0b11111;
/** The last level (shift 30) reads hash bits 30-31; keys still sharing a slot there collide. */
const MAX_SHIFT = 30;

/**
 * FNV-1a over the UTF-16 code units, then murmur3's fmix32 finaliser: the trie reads the low bits
 * first, and in plain FNV-1a those depend only on the low bits of each character. fmix32 is a
 * bijection, so it adds no collisions.
 */
export const hashKey = (key: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
};

/** A trie node: slot `(hash >>> shift) & 31` holds nothing, one inline entry, or a sub-node. */
export class Branch<V> {
  constructor(
    /** Bit s set: slot s holds an inline entry, kept in `keys`/`values` in slot order. */
    readonly dataMap: number,
    /** Bit s set: slot s holds a sub-node, kept in `nodes` in slot order. */
    readonly nodeMap: number,
    readonly keys: readonly string[],
    readonly values: readonly V[],
    readonly nodes: readonly Node<V>[],
  ) {}
}

/** Two or more keys with equal 32-bit hashes, below the last level; sorted by key. */
export class Collision<V> {
  constructor(
    readonly keys: readonly string[],
    readonly values: readonly V[],
  ) {}
}

export type Node<V> = Branch<V> | Collision<V>;
export type Hash = (key: string) => number;
/** One `set` or `delete` in progress (`value` unused by delete), and its change in entry count. */
export type Op<V> = { hashOf: Hash; key: string; hash: number; value: V; sizeDelta: number };

const NONE: readonly never[] = Object.freeze([]);
export const EMPTY_ROOT: Branch<never> = Object.freeze(new Branch<never>(0, 0, NONE, NONE, NONE));
export const NOT_FOUND: unique symbol = Symbol('not found');

const bitAt = (hash: number, shift: number): number => 1 << ((hash >>> shift) & MASK);

/** Where the slot with `bit` sits in the packed array of `map`: the count of set bits below it. */
const indexOf = (map: number, bit: number): number => {
  let x = map & (bit - 1);
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
};

export const lookup = <V, M>(root: Branch<V>, hash: number, key: string, missing: M): V | M => {
  let node: Node<V> = root;
  for (let shift = 0; node instanceof Branch; shift += BITS) {
    const bit = bitAt(hash, shift);
    if (node.dataMap & bit) {
      const i = indexOf(node.dataMap, bit);
      return node.keys[i] === key ? (node.values[i] as V) : missing;
    }
    if (!(node.nodeMap & bit)) return missing;
    node = node.nodes[indexOf(node.nodeMap, bit)] as Node<V>;
  }
  const i = node.keys.indexOf(key);
  return i < 0 ? missing : (node.values[i] as V);
};

/** The canonical node for `key` and `op.key`, which share a slot in the level above `shift`. */
const pair = <V>(shift: number, hash: number, key: string, value: V, op: Op<V>): Node<V> => {
  if (shift > MAX_SHIFT) {
    return key < op.key
      ? new Collision([key, op.key], [value, op.value])
      : new Collision([op.key, key], [op.value, value]);
  }
  const [slot, opSlot] = [(hash >>> shift) & MASK, (op.hash >>> shift) & MASK];
  if (slot === opSlot) {
    return new Branch(0, 1 << slot, NONE, NONE, [pair(shift + BITS, hash, key, value, op)]);
  }
  const dataMap = (1 << slot) | (1 << opSlot);
  return slot < opSlot
    ? new Branch(dataMap, 0, [key, op.key], [value, op.value], NONE)
    : new Branch(dataMap, 0, [op.key, key], [op.value, value], NONE);
};

export const setIn = <V>(node: Node<V>, shift: number, op: Op<V>): Node<V> => {
  const { key, value } = op;
  const { keys, values } = node;
  if (node instanceof Collision) {
    let i = 0;
    while (i < keys.length && (keys[i] as string) < key) i++;
    if (keys[i] !== key) {
      op.sizeDelta = 1;
      return new Collision(keys.toSpliced(i, 0, key), values.toSpliced(i, 0, value));
    }
    return values[i] === value ? node : new Collision(keys, values.with(i, value));
  }
  const { dataMap, nodeMap, nodes } = node;
  const bit = bitAt(op.hash, shift);
  if (nodeMap & bit) {
    const j = indexOf(nodeMap, bit);
    const child = nodes[j] as Node<V>;
    const updated = setIn(child, shift + BITS, op);
    return updated === child
      ? node
      : new Branch(dataMap, nodeMap, keys, values, nodes.with(j, updated));
  }
  const i = indexOf(dataMap, bit);
  if (!(dataMap & bit)) {
    op.sizeDelta = 1;
    const [keysWith, valuesWith] = [keys.toSpliced(i, 0, key), values.toSpliced(i, 0, value)];
    return new Branch(dataMap | bit, nodeMap, keysWith, valuesWith, nodes);
  }
  const other = keys[i] as string;
  if (other === key) {
    return values[i] === value
      ? node
      : new Branch(dataMap, nodeMap, keys, values.with(i, value), nodes);
  }
  // Two keys now share the slot: both move down into a new sub-node.
  op.sizeDelta = 1;
  const child = pair(shift + BITS, op.hashOf(other), other, values[i] as V, op);
  const [keysWithout, valuesWithout] = [keys.toSpliced(i, 1), values.toSpliced(i, 1)];
  const nodesWith = nodes.toSpliced(indexOf(nodeMap, bit), 0, child);
  return new Branch(dataMap ^ bit, nodeMap | bit, keysWithout, valuesWithout, nodesWith);
};

export const deleteIn = <V>(node: Node<V>, shift: number, op: Op<unknown>): Node<V> => {
  const { keys, values } = node;
  if (node instanceof Collision) {
    const i = keys.indexOf(op.key);
    if (i < 0) return node;
    op.sizeDelta = -1;
    return new Collision(keys.toSpliced(i, 1), values.toSpliced(i, 1));
  }
  const { dataMap, nodeMap, nodes } = node;
  const bit = bitAt(op.hash, shift);
  if (dataMap & bit) {
    const i = indexOf(dataMap, bit);
    if (keys[i] !== op.key) return node;
    op.sizeDelta = -1;
    return new Branch(dataMap ^ bit, nodeMap, keys.toSpliced(i, 1), values.toSpliced(i, 1), nodes);
  }
  if (!(nodeMap & bit)) return node;
  const j = indexOf(nodeMap, bit);
  const child = nodes[j] as Node<V>;
  const updated = deleteIn(child, shift + BITS, op);
  if (updated === child) return node;
  const single =
    updated.keys.length === 1 && (updated instanceof Collision || updated.nodeMap === 0);
  if (!single) return new Branch(dataMap, nodeMap, keys, values, nodes.with(j, updated));
  // A sub-node left with one entry is not canonical: the entry moves up into this slot.
  const i = indexOf(dataMap, bit);
  const [keysWith, valuesWith] = [
    keys.toSpliced(i, 0, ...updated.keys),
    values.toSpliced(i, 0, ...updated.values),
  ];
  return new Branch(dataMap | bit, nodeMap ^ bit, keysWith, valuesWith, nodes.toSpliced(j, 1));
};

/** Calls `visit` for every entry, in iteration order; no iterator objects on the way. */
export const walk = <V>(node: Node<V>, visit: (value: V, key: string) => void): void => {
  for (let i = 0; i < node.keys.length; i++) visit(node.values[i] as V, node.keys[i] as string);
  if (node instanceof Branch) for (const child of node.nodes) walk(child, visit);
};

export function* entriesOf<V>(node: Node<V>): Generator<[string, V], undefined> {
  for (let i = 0; i < node.keys.length; i++) yield [node.keys[i] as string, node.values[i] as V];
  if (node instanceof Branch) for (const child of node.nodes) yield* entriesOf(child);
}
