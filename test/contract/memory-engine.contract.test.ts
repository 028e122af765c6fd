import { MemoryEngine } from '../../src/adapters/memory/memory-engine.adapter.ts';
import { engineContract } from './engine-contract.ts';

engineContract(
  'memory engine',
  async (limits, clock) => new MemoryEngine({ ...limits, maxRooms: 1_000 }, clock),
);
