import fc from 'fast-check';
import { DeleteCommand } from './delete-command.ts';
import type { KeySpace } from './key-spaces.ts';
import type { MapModel, MapSystem } from './model.ts';
import { SetCommand } from './set-command.ts';

/**
 * Sets outweigh deletes so maps grow deep enough to split and collapse; values come from a
 * small range, so setting the value a key already has happens often.
 */
export const mapCommands = (space: KeySpace) => {
  const key = fc.constantFrom(...space.keys);
  const command: fc.Arbitrary<fc.Command<MapModel, MapSystem>> = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(key, fc.nat(3)).map(([k, v]) => new SetCommand(k, v)) },
    { weight: 2, arbitrary: key.map((k) => new DeleteCommand(k)) },
  );
  return fc.commands([command], { size: 'max', maxCommands: 60 });
};
