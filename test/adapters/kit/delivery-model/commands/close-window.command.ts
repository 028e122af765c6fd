import { assertDelivery } from '../check-model.ts';
import type { DeliveryCommand, DeliveryModel, DeliverySystem } from '../model.ts';

/** The batch window closes: every connection woken since it opened writes what it has. */
export class CloseWindowCommand implements DeliveryCommand {
  check(): boolean {
    return true;
  }

  run(model: DeliveryModel, real: DeliverySystem): void {
    real.settings.batch.close();
    assertDelivery(model, real);
  }

  toString(): string {
    return 'closeWindow';
  }
}
