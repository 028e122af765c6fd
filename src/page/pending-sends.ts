import type { Position } from '../client/index.ts';
import { element } from './dom.ts';
import { keyOf, messageItem } from './message-view.ts';

/**
 * Our messages on their way, below the log: shown at once as "Sending…", they leave when the
 * room's own copy of them arrives (the log shows it in its place), "Not sent" when refused.
 */
export class PendingSends {
  constructor(private readonly list: HTMLOListElement) {}

  clear(): void {
    this.list.replaceChildren();
  }

  /** A message just sent; returns what to call on its ack or refusal. */
  add(
    from: string,
    text: string,
  ): Readonly<{
    stored: (position: Position, inLog: boolean) => void;
    refused: (why: string) => void;
  }> {
    const item = messageItem({ from, text, at: Date.now() }, true);
    item.classList.add('pending');
    item.dataset.state = 'sending';
    const state = element('span', 'send-state', 'Sending…');
    item.querySelector('.meta')?.append(state);
    this.list.append(item);
    return {
      stored: (position, inLog) => {
        // The room's copy may have come first (then the log has it), or may still be coming.
        if (inLog) item.remove();
        else {
          item.dataset.key = keyOf(position);
          item.dataset.state = 'sent';
          state.textContent = 'Sent';
        }
      },
      refused: (why) => {
        item.dataset.state = 'failed';
        state.textContent = `Not sent: ${why}`;
      },
    };
  }

  /** The room's copy of a message arrived: its pending line, if any, goes. */
  arrived(position: Position): void {
    this.list.querySelector(`[data-key="${CSS.escape(keyOf(position))}"]`)?.remove();
  }
}
