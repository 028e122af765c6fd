import test from 'ava';
import { MEMORY_TOKENS } from '../../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../../src/adapters/memory/memory-transport.adapter.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { waitUntil } from '../support/ws-client.ts';

test('a message published while a client joins reaches it once it has joined', async (t) => {
  const container = createContainer(defaultSettings(), { logger: new RecordingLogger() });
  const transport = container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport);
  const ann = await transport.connect('lobby', 'ann');
  const joining = transport.connect('lobby', 'bob');
  ann.send('during the join');
  const bob = await joining;
  const got = await waitUntil(
    () => (bob.received.length > 0 ? bob.received : undefined),
    'the message at bob',
  );
  t.deepEqual(
    got.map((message) => message.text),
    ['during the join'],
  );
});

test('an in-process client follows a renumbered room: the new epoch’s messages from seq 1, each once', async (t) => {
  const container = createContainer(defaultSettings(), { logger: new RecordingLogger() });
  const engine = new ControlledEngine();
  container.rebind(TOKENS.Engine).toConstantValue(engine);
  const transport = container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport);
  const ann = await transport.connect('lobby', 'ann');
  ann.send('m1');
  ann.send('m2');
  await waitUntil(() => ann.received.length === 2 || undefined, 'the first numbering at ann');
  engine.lose('lobby');
  ann.send('n1');
  ann.send('n2');
  await waitUntil(() => ann.received.length === 4 || undefined, 'the new numbering at ann');
  const [first, , renumbered] = ann.received;
  t.not(renumbered?.epoch, first?.epoch);
  t.deepEqual(
    ann.received.map(({ seq, text }) => `${seq} ${text}`),
    ['1 m1', '2 m2', '1 n1', '2 n2'],
  );
});
