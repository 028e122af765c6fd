import fc from 'fast-check';
import { callerReason, connectionId } from '../arbitraries.ts';
import { AcknowledgeCommand } from './acknowledge-command.ts';
import type { HubModel, HubSystem } from './hub-model.ts';
import { PublishCommand } from './publish-command.ts';
import { RegisterCommand } from './register-command.ts';
import { UnregisterCommand } from './unregister-command.ts';

const text = fc.string({ maxLength: 6 });

/** One weighted pick per command: publishing dominates, so buffers do fill up and overflow. */
const command: fc.Arbitrary<fc.Command<HubModel, HubSystem>> = fc.oneof(
  { weight: 2, arbitrary: connectionId.map((id) => new RegisterCommand(id)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(connectionId, callerReason, fc.option(text, { nil: undefined }))
      .map(([id, reason, detail]) => new UnregisterCommand(id, reason, detail)),
  },
  { weight: 5, arbitrary: text.map((t) => new PublishCommand(t, false)) },
  { weight: 1, arbitrary: text.map((t) => new PublishCommand(t, true)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(connectionId, fc.nat(9))
      .map(([id, take]) => new AcknowledgeCommand(id, take)),
  },
);

export const hubCommands = fc.commands([command], { size: 'max', maxCommands: 100 });
