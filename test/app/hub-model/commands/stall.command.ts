import { assertMatches, clientOf } from '../check-model.ts';
import type { HubModel, Name, RealHub } from '../model.ts';
import { isConnected, settle } from '../model.ts';

/** The client stops reading: broadcasts pile up as pending in the hub. */
export class StallCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<HubModel>): boolean {
    return isConnected(model, this.name) && model.clients.get(this.name)?.stalled === false;
  }

  async run(model: HubModel, real: RealHub): Promise<void> {
    clientOf(real, this.name).stall();
    const client = model.clients.get(this.name);
    if (client) client.stalled = true;
    await settle();
    assertMatches(model, real);
  }

  toString(): string {
    return `stall(${this.name})`;
  }
}
