import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { memorySettings } from './memory.settings.ts';
import {
  MEMORY_ENGINE_LIMITS,
  MemoryEngine,
  type MemoryEngineLimits,
} from './memory-engine.adapter.ts';
import { MemoryTransport } from './memory-transport.adapter.ts';

export const MEMORY_TOKENS = {
  MemoryTransport: Symbol.for('hubbub.memory.MemoryTransport'),
} as const;

/** The embedded rooms engine, and in-process clients for tests and embedders. */
export const memoryAdapter = defineAdapter({
  name: 'memory',
  settings: memorySettings,
  bind: ({ bind }, settings) => {
    const { historySize, historyTtlMs, dedupeWindowMs, maxRooms } = settings;
    const limits: MemoryEngineLimits = { historySize, historyTtlMs, dedupeWindowMs, maxRooms };
    bind(MEMORY_ENGINE_LIMITS).toConstantValue(limits);
    bind(TOKENS.Engine).to(MemoryEngine).inSingletonScope();
    bind(MEMORY_TOKENS.MemoryTransport).to(MemoryTransport).inSingletonScope();
    bind(TOKENS.Transport).toService(MEMORY_TOKENS.MemoryTransport);
  },
});
