import test from 'ava';
import fc from 'fast-check';
import { ConnectCommand } from './commands/connect.command.ts';
import { LeaveCommand } from './commands/leave.command.ts';
import { ResumeCommand } from './commands/resume.command.ts';
import { SendCommand } from './commands/send.command.ts';
import { StallCommand } from './commands/stall.command.ts';
import { type HubModelCommand, MAX_MESSAGE_BYTES, NAMES, setup } from './model.ts';

const name = fc.constantFrom(...NAMES);
const text = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ minLength: MAX_MESSAGE_BYTES + 1, maxLength: 24 }) },
);

const allCommands = [
  name.map((n) => new ConnectCommand(n)),
  name.map((n) => new LeaveCommand(n)),
  fc.tuple(name, text).map(([n, t]) => new SendCommand(n, t)),
  name.map((n) => new StallCommand(n)),
  name.map((n) => new ResumeCommand(n)),
] as fc.Arbitrary<HubModelCommand>[];

// Enough runs that a planted off-by-one in eviction is caught every time (see docs/architecture.md).
const NUM_RUNS = 1500;

test('the hub service through the memory transport behaves like the chat model', async (t) => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 4 }),
      fc.commands(allCommands, { maxCommands: 60, size: 'max' }),
      async (capacity, program) => {
        await fc.asyncModelRun(setup(capacity), program);
      },
    ),
    { numRuns: NUM_RUNS, verbose: 1 },
  );
  t.pass();
});
