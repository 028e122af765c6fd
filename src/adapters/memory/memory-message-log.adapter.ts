import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { LoggedMessage, MessageDraft, MessageLog } from '../../app/ports/message-log.port.ts';
import { TOKENS } from '../../app/tokens.ts';
import type { Seq } from '../../domain/index.ts';

/**
 * The embedded message log: sequence numbers from a counter, bodies in a ring that holds the
 * last `retention` messages (one more than the send buffer, so anything a registered
 * connection may still need is there).
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class MemoryMessageLog implements MessageLog {
  private readonly ring: (LoggedMessage | undefined)[];
  private head: Seq = 0;

  constructor(@inject(TOKENS.Config) config: Pick<Config, 'sendBuffer'>) {
    this.ring = new Array(config.sendBuffer + 1);
  }

  append(draft: MessageDraft): LoggedMessage {
    const seq = ++this.head;
    const message: LoggedMessage = { ...draft, seq };
    this.ring[seq % this.ring.length] = message;
    return message;
  }

  read(after: Seq, max: number): readonly LoggedMessage[] {
    const oldest = Math.max(1, this.head - this.ring.length + 1);
    if (after + 1 < oldest) {
      throw new RangeError(`messages after ${after} are no longer retained (oldest is ${oldest})`);
    }
    const last = Math.min(this.head, after + max);
    const messages: LoggedMessage[] = [];
    for (let seq = after + 1; seq <= last; seq++) {
      messages.push(this.ring[seq % this.ring.length] as LoggedMessage);
    }
    return messages;
  }
}
