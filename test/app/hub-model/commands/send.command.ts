import { assertMatches, clientOf } from '../check-model.ts';
import type { HubModel, Name, RealHub } from '../model.ts';
import { isConnected, MAX_MESSAGE_BYTES, settle } from '../model.ts';

/** The original example's broadcast: a full buffer evicts, everyone else gets the message. */
const broadcast = (model: HubModel, text: string): void => {
  for (const client of model.clients.values()) {
    if (client.closed !== undefined) continue;
    if (client.pending.length >= model.capacity) client.closed = 'send_buffer_full';
    else if (client.stalled) client.pending.push(text);
    else client.received.push(text);
  }
};

export class SendCommand {
  constructor(
    readonly name: Name,
    readonly text: string,
  ) {}

  check(model: Readonly<HubModel>): boolean {
    return isConnected(model, this.name);
  }

  async run(model: HubModel, real: RealHub): Promise<void> {
    clientOf(real, this.name).send(this.text);
    if (Buffer.byteLength(this.text) > MAX_MESSAGE_BYTES) {
      const sender = model.clients.get(this.name);
      if (sender) sender.closed = 'too-large';
    } else {
      broadcast(model, this.text);
    }
    await settle();
    assertMatches(model, real);
  }

  toString(): string {
    return `send(${this.name}, ${JSON.stringify(this.text)})`;
  }
}
