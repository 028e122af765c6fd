import test from 'ava';
import { MEMORY_TOKENS } from '../../../src/adapters/memory/memory.module.ts';
import type { MemoryTransport } from '../../../src/adapters/memory/memory-transport.adapter.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
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
