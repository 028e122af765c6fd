import test from 'ava';
import fc from 'fast-check';
import { assertDrainedDelivery } from './check-model.ts';
import { BroadcastCommand } from './commands/broadcast.command.ts';
import { CloseWindowCommand } from './commands/close-window.command.ts';
import { ConnectCommand } from './commands/connect.command.ts';
import { DrainCommand } from './commands/drain.command.ts';
import { LeaveCommand } from './commands/leave.command.ts';
import { ShutdownCommand } from './commands/shutdown.command.ts';
import { StallCommand } from './commands/stall.command.ts';
import { UnstallCommand } from './commands/unstall.command.ts';
import {
  type DeliveryCommand,
  MAX_LINE_BYTES,
  MAX_PADDING,
  NAMES,
  type Sizes,
  setup,
} from './model.ts';

const name = fc.constantFrom(...NAMES);
const padding = fc.nat(MAX_PADDING);

/**
 * Broadcasts dominate, some in bursts, so that stalled clients do fill their send buffers; a
 * shutdown mid-run is rare (most runs end with one or not, see below), as it ends broadcasting.
 */
const command: fc.Arbitrary<DeliveryCommand> = fc.oneof(
  { weight: 8, arbitrary: name.map((n) => new ConnectCommand(n)) },
  { weight: 32, arbitrary: padding.map((p) => new BroadcastCommand([p])) },
  {
    weight: 8,
    arbitrary: fc
      .array(padding, { minLength: 2, maxLength: 20 })
      .map((paddings) => new BroadcastCommand(paddings)),
  },
  { weight: 12, arbitrary: fc.constant(new CloseWindowCommand()) },
  {
    weight: 16,
    arbitrary: fc
      .tuple(name, fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }))
      .map(([n, count]) => new DrainCommand(n, count)),
  },
  { weight: 8, arbitrary: name.map((n) => new StallCommand(n)) },
  { weight: 4, arbitrary: name.map((n) => new UnstallCommand(n)) },
  {
    weight: 3,
    arbitrary: fc.tuple(name, fc.boolean()).map(([n, refused]) => new LeaveCommand(n, refused)),
  },
  { weight: 1, arbitrary: fc.constant(new ShutdownCommand()) },
);

/** A small send buffer, and a high-water mark of a few lines: it is what stops a stalled client. */
const sizes: fc.Arbitrary<Sizes> = fc.record({
  sendBuffer: fc.integer({ min: 2, max: 16 }),
  highWaterExtraBytes: fc.nat(3 * MAX_LINE_BYTES),
});

/** What a good share of the runs must get to, or the generator has stopped testing it. */
const MUST_REACH = [
  'high-water mark reached',
  'evicted while behind',
  'caught up at the end',
  'hung up',
  'refused',
  'shutdown',
  'shutdown while behind',
];

const NUM_RUNS = 1_000;
// A failure prints its seed; FC_SEED=<seed> runs the same cases again (and shrinks alike).
const seed = process.env.FC_SEED === undefined ? Date.now() % 2 ** 31 : Number(process.env.FC_SEED);

/**
 * The real hub and the kit's delivery, against fake sockets: after every command the invariants
 * of `assertDelivery` hold, and once everything is drained (after a shutdown or not), every
 * client has what `assertDrainedDelivery` says it is owed.
 */
test('every client gets exactly the broadcasts of its registration, in order, unless it stalled and was evicted', async (t) => {
  const tally = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(
      sizes,
      fc.commands([command], { maxCommands: 80, size: 'max' }),
      fc.boolean(),
      async (s, program, shutDownAtTheEnd) => {
        const system = setup(s);
        await fc.asyncModelRun(() => system, program);
        const { model, real } = system;
        if (shutDownAtTheEnd && !model.shutDown) await new ShutdownCommand().run(model, real);
        assertDrainedDelivery(model, real);
        for (const what of model.reached) tally.set(what, (tally.get(what) ?? 0) + 1);
      },
    ),
    {
      numRuns: NUM_RUNS,
      seed,
      includeErrorInReport: true,
    },
  );
  t.log(`seed ${seed} (FC_SEED=${seed} replays it), ${NUM_RUNS} runs:`, Object.fromEntries(tally));
  for (const what of MUST_REACH) {
    t.true((tally.get(what) ?? 0) >= NUM_RUNS / 100, `seed ${seed}: "${what}" reached too rarely`);
  }
});
