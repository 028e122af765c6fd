import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { MemoryMessageLog } from './memory-message-log.adapter.ts';
import { MemoryTransport } from './memory-transport.adapter.ts';

export const MEMORY_TOKENS = {
  MemoryTransport: Symbol.for('hubbub.memory.MemoryTransport'),
} as const;

/** The embedded message log, and in-process clients for tests and embedders. */
export const memoryAdapter = defineAdapter({
  name: 'memory',
  bind: ({ bind }) => {
    bind(TOKENS.MessageLog).to(MemoryMessageLog).inSingletonScope();
    bind(MEMORY_TOKENS.MemoryTransport).to(MemoryTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(MEMORY_TOKENS.MemoryTransport);
  },
});
