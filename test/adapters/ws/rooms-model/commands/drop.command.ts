import { waitUntil } from '../../../support/ws-client.ts';
import type { RoomsCommand, RoomsModel, RoomsReal } from '../model.ts';
import { connectionOf, type Name, presenceSettles, ROOMS } from '../model.ts';

/** A client's connection is cut, as a network would; the client remembers where it was. */
export class DropCommand implements RoomsCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<RoomsModel>): boolean {
    return model.clients[this.name].connected;
  }

  async run(model: RoomsModel, real: RoomsReal): Promise<void> {
    const connection = connectionOf(real, this.name);
    connection.ws.terminate();
    await waitUntil(() => connection.closed !== undefined, `${this.name} to be cut`);
    real.clients[this.name].connection = undefined;
    model.clients[this.name].connected = false;
    for (const room of ROOMS) await presenceSettles(model, real, room);
  }

  toString(): string {
    return `drop(${this.name})`;
  }
}
