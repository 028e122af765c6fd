import test from 'ava';
import fc from 'fast-check';
import { DropCommand } from './rooms-model/commands/drop.command.ts';
import { JoinCommand } from './rooms-model/commands/join.command.ts';
import { LeaveCommand } from './rooms-model/commands/leave.command.ts';
import { ResumeCommand } from './rooms-model/commands/resume.command.ts';
import { SendCommand } from './rooms-model/commands/send.command.ts';
import { NAMES, ROOMS, type RoomsCommand, setup } from './rooms-model/model.ts';

const name = fc.constantFrom(...NAMES);
const room = fc.constantFrom(...ROOMS);

const allCommands = [
  fc.tuple(name, room).map(([n, r]) => new JoinCommand(n, r)),
  fc.tuple(name, room).map(([n, r]) => new LeaveCommand(n, r)),
  // Sends weigh more: rooms need long histories for the resumes to mean something.
  ...Array.from({ length: 4 }, () =>
    fc.tuple(name, room, fc.string({ maxLength: 8 })).map(([n, r, t]) => new SendCommand(n, r, t)),
  ),
  name.map((n) => new DropCommand(n)),
  name.map((n) => new ResumeCommand(n)),
] as fc.Arbitrary<RoomsCommand>[];

test('hubbub.v2 rooms over real sockets: joins, leaves, sends, cut connections and resumes lose nothing, repeat nothing, and presence follows', async (t) => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  let longest = 0;
  let programs = 0;
  t.log(`seed ${seed} (FC_SEED=${seed} replays it)`);
  await fc.assert(
    fc.asyncProperty(
      fc.commands(allCommands, { maxCommands: 80, size: 'max' }),
      async (program) => {
        const { model, real } = await setup()();
        try {
          await fc.asyncModelRun(() => ({ model, real }), program);
          programs += 1;
          longest = Math.max(longest, model.messages.a.length, model.messages.b.length);
        } finally {
          for (const client of Object.values(real.clients)) await client.connection?.close();
          await real.server.stop();
        }
      },
    ),
    { numRuns: 60, seed },
  );
  t.log(`${programs} programs; the longest room reached seq ${longest}`);
  t.true(longest > 0, 'some program sent messages');
});
