import { assertMatches } from '../check-model.ts';
import type { HubModel, Name, RealHub } from '../model.ts';
import { isConnected, settle } from '../model.ts';

export class ConnectCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<HubModel>): boolean {
    return !isConnected(model, this.name);
  }

  async run(model: HubModel, real: RealHub): Promise<void> {
    real.clients.set(this.name, real.transport.connect());
    model.clients.set(this.name, { received: [], pending: [], stalled: false });
    await settle();
    assertMatches(model, real);
  }

  toString(): string {
    return `connect(${this.name})`;
  }
}
