import { MEMORY_TOKENS } from '../../src/adapters/memory/memory.module.ts';
import type { MemoryCloseReason } from '../../src/adapters/memory/memory-client.ts';
import type { MemoryTransport } from '../../src/adapters/memory/memory-transport.adapter.ts';
import type { RoomsHub } from '../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../src/composition-root.ts';
import { RecordingLogger } from '../support/recording-logger.ts';
import { recordEvents } from '../support/start-server.ts';
import { type ContractEnd, transportContract } from './transport-contract.ts';

const ENDS: Partial<Record<MemoryCloseReason, ContractEnd>> = {
  left: 'left',
  'too-large': 'too-large',
  shutdown: 'shutdown',
  send_buffer_full: 'overflowed',
};

transportContract('memory', async (settings) => {
  const container = createContainer(defaultSettings(settings), { logger: new RecordingLogger() });
  const hub = container.get<RoomsHub>(TOKENS.RoomsHub);
  const transport = container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport);
  const events = recordEvents(hub);
  return {
    events,
    connect: async () => {
      const client = await transport.connect();
      const ended = new Promise<ContractEnd>((resolve) =>
        client.onClose((reason) => resolve(ENDS[reason] ?? 'other')),
      );
      return {
        id: client.id,
        get messages() {
          return client.received.map((message) => message.text);
        },
        send: (text) => client.send(text),
        stall: () => client.stall(),
        leave: async () => client.leave(),
        ended: () => ended,
      };
    },
    stop: async () => hub.shutdown(),
  };
});
