import { assertDelivery } from '../check-model.ts';
import {
  currentOf,
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  type Name,
} from '../model.ts';

/** Writes the kernel has taken complete (their callbacks come): `count` of them, or all. */
export class DrainCommand implements DeliveryCommand {
  constructor(
    readonly name: Name,
    readonly count: number | undefined,
  ) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return currentOf(model, this.name) !== -1;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    real.connections[currentOf(model, this.name)]?.socket.complete(this.count);
    assertDelivery(model, real);
  }

  toString(): string {
    return `drain(${this.name}, ${this.count ?? 'all'})`;
  }
}
