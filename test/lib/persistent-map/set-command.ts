import assert from 'node:assert/strict';
import type fc from 'fast-check';
import { assertMatches, type MapModel, type MapSystem } from './model.ts';

/** Binds `key` to `value`; binding the value it already has returns the map itself. */
export class SetCommand implements fc.Command<MapModel, MapSystem> {
  constructor(
    readonly key: string,
    readonly value: number,
  ) {}

  check(): boolean {
    return true;
  }

  run(model: MapModel, real: MapSystem): void {
    const before = real.map;
    const after = before.set(this.key, this.value);
    if (model.get(this.key) === this.value) {
      assert.equal(after, before, 'setting the same value returns the map itself');
    } else {
      assert.notDeepStrictEqual(after, before, 'a map with other entries is not deepEqual');
    }
    model.set(this.key, this.value);
    real.update(after, model);
    assertMatches(model, real);
  }

  toString(): string {
    return `set(${JSON.stringify(this.key)}, ${this.value})`;
  }
}
