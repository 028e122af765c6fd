import type fc from 'fast-check';
import { MEMORY_TOKENS } from '../../../src/adapters/memory/memory.module.ts';
import type {
  MemoryClient,
  MemoryCloseReason,
} from '../../../src/adapters/memory/memory-client.ts';
import type { MemoryTransport } from '../../../src/adapters/memory/memory-transport.adapter.ts';
import type { HubService } from '../../../src/app/hub-service.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';

export const MAX_MESSAGE_BYTES = 16;
export const NAMES = ['ann', 'bob', 'cat', 'dan'] as const;
export type Name = (typeof NAMES)[number];

/** What one client should have seen, by the rules of the original chat example. */
export type ClientModel = {
  received: string[];
  /** Broadcasts made while it was stalled, not yet delivered. */
  pending: string[];
  stalled: boolean;
  closed?: MemoryCloseReason;
};

export type HubModel = { capacity: number; clients: Map<Name, ClientModel> };

export type RealHub = {
  hub: HubService;
  transport: MemoryTransport;
  clients: Map<Name, MemoryClient>;
};

export type HubModelCommand = fc.AsyncCommand<HubModel, RealHub>;

export const isConnected = (model: HubModel, name: Name): boolean => {
  const client = model.clients.get(name);
  return client !== undefined && client.closed === undefined;
};

export const setup = (capacity: number) => (): { model: HubModel; real: RealHub } => {
  const config = defaultSettings({ sendBuffer: capacity, maxMessageBytes: MAX_MESSAGE_BYTES });
  const container = createContainer(config, { logger: new RecordingLogger() });
  return {
    model: { capacity, clients: new Map() },
    real: {
      hub: container.get<HubService>(TOKENS.HubService),
      transport: container.get<MemoryTransport>(MEMORY_TOKENS.MemoryTransport),
      clients: new Map(),
    },
  };
};

/** Memory clients deliver in a microtask; after one macrotask turn everything has settled. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
