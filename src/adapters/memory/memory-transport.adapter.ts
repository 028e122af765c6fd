import { inject, injectable } from 'inversify';
import type { Hub, Transport } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { MemoryClient } from './memory-client.ts';

/** An in-process transport for tests and for embedding Hubbub in another program. */
@injectable()
export class MemoryTransport implements Transport {
  readonly name = 'memory';

  constructor(@inject(TOKENS.Hub) private readonly hub: Hub) {}

  connect(): MemoryClient {
    const client = new MemoryClient();
    client.attach(this.hub.connect(client));
    return client;
  }

  async start(): Promise<void> {}

  // Connections are closed by the hub's shutdown; nothing here outlives them.
  async stop(): Promise<void> {}
}
