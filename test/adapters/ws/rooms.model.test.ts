import test from 'ava';
import fc from 'fast-check';
import { DropCommand } from './rooms-model/commands/drop.command.ts';
import { EvictCommand } from './rooms-model/commands/evict.command.ts';
import { JoinCommand } from './rooms-model/commands/join.command.ts';
import { LeaveCommand } from './rooms-model/commands/leave.command.ts';
import { RepeatSendCommand } from './rooms-model/commands/repeat-send.command.ts';
import { ResumeCommand } from './rooms-model/commands/resume.command.ts';
import { SendCommand } from './rooms-model/commands/send.command.ts';
import {
  NAMES,
  namesIn,
  ROOMS,
  type RoomsCommand,
  type RoomsModel,
  type RoomsReal,
  setup,
  type Tally,
} from './rooms-model/model.ts';

const name = fc.constantFrom(...NAMES);
const room = fc.constantFrom(...ROOMS);

const allCommands = [
  fc.tuple(name, room).map(([n, r]) => new JoinCommand(n, r)),
  fc.tuple(name, room).map(([n, r]) => new LeaveCommand(n, r)),
  // Sends weigh more: rooms need long histories for the resumes to mean something.
  ...Array.from({ length: 4 }, () =>
    fc.tuple(name, room, fc.string({ maxLength: 8 })).map(([n, r, t]) => new SendCommand(n, r, t)),
  ),
  fc.tuple(name, room, fc.nat(20)).map(([n, r, pick]) => new RepeatSendCommand(n, r, pick)),
  name.map((n) => new DropCommand(n)),
  fc.tuple(name, room).map(([n, r]) => new EvictCommand(n, r)),
  fc.tuple(name, fc.nat(3)).map(([n, history]) => new ResumeCommand(n, history)),
] as fc.Arbitrary<RoomsCommand>[];

/**
 * After a program: every client that is cut comes back, and each room with members gets one
 * more message, which each member must get next and alone (a duplicate or a stray message
 * left over from the program would come before it).
 */
const closing = async (model: RoomsModel, real: RoomsReal): Promise<void> => {
  for (const n of NAMES) {
    if (!model.clients[n].connected) await new ResumeCommand(n, 0).run(model, real);
  }
  for (const r of ROOMS) {
    const sender = namesIn(model, r)[0];
    if (sender !== undefined) await new SendCommand(sender, r, 'last').run(model, real);
  }
};

test('hubbub.v2 rooms over real sockets: joins, leaves, sends and their repeats, cut connections, evictions and resumes lose nothing, repeat nothing, and presence follows', async (t) => {
  // A passing run takes well under a minute; a failing one shrinks, and a failing step may wait
  // for a safety timeout: time for that, so that the counterexample is reported.
  t.timeout(300_000);
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  const total: Tally = {
    evictions: 0,
    repeats: 0,
    recovered: 0,
    recoveredAfterEviction: 0,
    notRecovered: 0,
  };
  let longest = 0;
  let programs = 0;
  t.log(`seed ${seed} (FC_SEED=${seed} replays it)`);
  await fc.assert(
    fc.asyncProperty(
      // A short history puts resumes outside it; a long one keeps evicted clients within it.
      fc.constantFrom(1, 3, 60),
      fc.commands(allCommands, { maxCommands: 80, size: 'max' }),
      async (historySize, program) => {
        const { model, real } = await setup(historySize);
        try {
          // Everyone starts in room a: a program has sends and evictions from its first step.
          for (const n of NAMES) await new JoinCommand(n, 'a').run(model, real);
          await fc.asyncModelRun(() => ({ model, real }), program);
          await closing(model, real);
          programs += 1;
          longest = Math.max(longest, model.messages.a.length, model.messages.b.length);
          for (const key of Object.keys(total) as (keyof Tally)[]) total[key] += model.tally[key];
        } finally {
          for (const client of Object.values(real.clients)) await client.connection?.close();
          await real.server.stop();
        }
      },
    ),
    { numRuns: 60, seed, includeErrorInReport: true },
  );
  t.log(`${programs} programs; the longest room reached seq ${longest}; ${JSON.stringify(total)}`);
  t.true(longest > 0, 'some program sent messages');
});
