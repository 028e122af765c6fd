import assert from 'node:assert/strict';
import { assertDelivery } from '../check-model.ts';
import {
  currentOf,
  type DeliveryCommand,
  type DeliveryModel,
  type DeliverySystem,
  end,
  type Name,
} from '../model.ts';

/**
 * The connection ends from the transport's side: the peer hangs up (nothing more is written),
 * or the server refuses it (everything broadcast so far is written first, then the socket goes).
 */
export class LeaveCommand implements DeliveryCommand {
  constructor(
    readonly name: Name,
    readonly refused: boolean,
  ) {}

  check(model: Readonly<DeliveryModel>): boolean {
    return currentOf(model, this.name) !== -1;
  }

  async run(model: DeliveryModel, real: DeliverySystem): Promise<void> {
    const i = currentOf(model, this.name);
    const connection = real.connections[i];
    const client = model.clients[i];
    assert.ok(connection !== undefined && client !== undefined);
    if (this.refused) connection.refuse();
    else connection.hangUp();
    assert.equal(connection.closedBy, undefined, 'the hub does not close a connection that left');
    end(model, client, this.refused ? 'refused' : 'hung up', model.broadcasts.length);
    assertDelivery(model, real);
  }

  toString(): string {
    return `${this.refused ? 'refuse' : 'hangUp'}(${this.name})`;
  }
}
