import { assertMatches, clientOf } from '../check-model.ts';
import type { HubModel, Name, RealHub } from '../model.ts';
import { isConnected, settle } from '../model.ts';

export class LeaveCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<HubModel>): boolean {
    return isConnected(model, this.name);
  }

  async run(model: HubModel, real: RealHub): Promise<void> {
    clientOf(real, this.name).leave();
    const client = model.clients.get(this.name);
    if (client) client.closed = 'left';
    await settle();
    assertMatches(model, real);
  }

  toString(): string {
    return `leave(${this.name})`;
  }
}
