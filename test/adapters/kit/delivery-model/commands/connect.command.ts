import { assertDelivery } from '../check-model.ts';
import {
  connect,
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  isRegistered,
  type Name,
} from '../model.ts';

/** A client joins: it is owed every broadcast from now on. */
export class ConnectCommand implements DeliveryCommand {
  constructor(readonly name: Name) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return !model.shutDown && !isRegistered(model, this.name);
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    await connect(model, real, this.name);
    assertDelivery(model, real);
  }

  toString(): string {
    return `connect(${this.name})`;
  }
}
