import assert from 'node:assert/strict';
import type fc from 'fast-check';
import { assertMatches, type MapModel, type MapSystem } from './model.ts';

/** Removes `key`; removing a key the map does not hold returns the map itself. */
export class DeleteCommand implements fc.Command<MapModel, MapSystem> {
  constructor(readonly key: string) {}

  check(): boolean {
    return true;
  }

  run(model: MapModel, real: MapSystem): void {
    const before = real.map;
    const after = before.delete(this.key);
    if (model.has(this.key)) {
      assert.notDeepStrictEqual(after, before, 'a map with other entries is not deepEqual');
    } else {
      assert.equal(after, before, 'deleting a missing key returns the map itself');
    }
    model.delete(this.key);
    real.update(after, model);
    assertMatches(model, real);
  }

  toString(): string {
    return `delete(${JSON.stringify(this.key)})`;
  }
}
