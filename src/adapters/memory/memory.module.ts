import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { MEMORY_ENGINE_LIMITS, MemoryEngine } from './memory-engine.adapter.ts';
import { MemoryMessageLog } from './memory-message-log.adapter.ts';
import { MemoryTransport } from './memory-transport.adapter.ts';

export const MEMORY_TOKENS = {
  MemoryTransport: Symbol.for('hubbub.memory.MemoryTransport'),
} as const;

/** The embedded message log and rooms engine, and in-process clients for tests and embedders. */
export const memoryAdapter = defineAdapter({
  name: 'memory',
  bind: ({ bind }, settings) => {
    bind(TOKENS.MessageLog).to(MemoryMessageLog).inSingletonScope();
    const { historySize, historyTtlMs, dedupeWindowMs } = settings;
    bind(MEMORY_ENGINE_LIMITS).toConstantValue({ historySize, historyTtlMs, dedupeWindowMs });
    bind(TOKENS.Engine).to(MemoryEngine).inSingletonScope();
    bind(MEMORY_TOKENS.MemoryTransport).to(MemoryTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(MEMORY_TOKENS.MemoryTransport);
  },
});
