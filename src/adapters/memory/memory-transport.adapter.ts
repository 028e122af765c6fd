import { inject, injectable } from 'inversify';
import type { Hub, Transport } from '../../app/ports/transport.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import { DEFAULT_ROOM, type RoomName } from '../../domain/rooms/index.ts';
import { MemoryClient } from './memory-client.ts';

/** An in-process transport for tests and for embedding Hubbub in another program. */
@injectable()
export class MemoryTransport implements Transport {
  readonly name = 'memory';

  constructor(@inject(TOKENS.Hub) private readonly hub: Hub) {}

  /** A client in `room` (default `lobby`) as the user `name`. */
  async connect(room: RoomName = DEFAULT_ROOM, name = 'memory'): Promise<MemoryClient> {
    const client = new MemoryClient();
    client.attach(await this.hub.connect(client, { room, name }));
    return client;
  }

  async start(): Promise<void> {}

  // Connections are closed by the hub's shutdown; nothing here outlives them.
  async stop(): Promise<void> {}
}
