import test from 'ava';
import fc from 'fast-check';
import { capacity, report } from './arbitraries.ts';
import { hubCommands } from './commands/hub-commands.ts';
import { HubSystem, newModel } from './commands/hub-model.ts';

// Each command asserts with node:assert (which throws) so fast-check can shrink and print
// its report (seed, replay path, shrunk command list) instead of ava stopping at the first try.
test('the hub behaves like the model: registrations, pending counts, evictions at capacity', (t) => {
  fc.assert(
    fc.property(capacity, hubCommands, (cap, commands) => {
      fc.modelRun(() => ({ model: newModel(cap), real: new HubSystem(cap) }), commands);
    }),
    { numRuns: 1000, ...report },
  );
  t.pass();
});
