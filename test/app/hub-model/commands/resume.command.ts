import { assertMatches, clientOf } from '../check-model.ts';
import type { HubModel, Name, RealHub } from '../model.ts';
import { isConnected, settle } from '../model.ts';

/** A stalled client reads again and gets everything it missed, in order. */
export class ResumeCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<HubModel>): boolean {
    return isConnected(model, this.name) && model.clients.get(this.name)?.stalled === true;
  }

  async run(model: HubModel, real: RealHub): Promise<void> {
    clientOf(real, this.name).resume();
    const client = model.clients.get(this.name);
    if (client) {
      client.stalled = false;
      client.received.push(...client.pending.splice(0));
    }
    await settle();
    assertMatches(model, real);
  }

  toString(): string {
    return `resume(${this.name})`;
  }
}
