import { assertDelivery } from '../check-model.ts';
import {
  currentOf,
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  type Name,
} from '../model.ts';

/** The client reads again: the kernel takes what was buffered; the callbacks wait for a drain. */
export class UnstallCommand implements DeliveryCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return model.clients[currentOf(model, this.name)]?.stalled === true;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    const i = currentOf(model, this.name);
    real.connections[i]?.socket.unstall();
    const client = model.clients[i];
    if (client) client.stalled = false;
    assertDelivery(model, real);
  }

  toString(): string {
    return `unstall(${this.name})`;
  }
}
