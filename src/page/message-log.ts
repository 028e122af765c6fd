import type { ChatMessage, Position } from '../client/index.ts';
import { element } from './dom.ts';
import { groupWith, keyOf, messageItem } from './message-view.ts';

/**
 * One room's messages, in the order the room numbered them: new ones at the end, older ones
 * before the first, notices between. A reader at the bottom stays at the bottom; a reader who
 * scrolled up stays where they are.
 */
export class MessageLog {
  constructor(
    private readonly scroller: HTMLElement,
    private readonly list: HTMLOListElement,
  ) {}

  clear(): void {
    this.list.replaceChildren();
  }

  has(position: Position): boolean {
    return this.list.querySelector(`[data-key="${CSS.escape(keyOf(position))}"]`) !== null;
  }

  append(message: ChatMessage, own: boolean): void {
    const item = this.itemOf(message, own);
    groupWith(item, this.list.lastElementChild);
    this.keepingBottom(() => this.list.append(item));
  }

  /** Older messages (ascending) before the first; the reader keeps seeing what they saw. */
  prepend(messages: readonly ChatMessage[], isOwn: (message: ChatMessage) => boolean): void {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    const first = this.list.firstElementChild;
    const items = messages.map((message) => this.itemOf(message, isOwn(message)));
    items.forEach((item, i) => {
      groupWith(item, items[i - 1] ?? null);
    });
    this.list.prepend(...items);
    if (first !== null) groupWith(first, first.previousElementSibling);
    this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  /** A line of the page's own (reconnected, messages missing...), between messages. */
  notice(text: string): void {
    this.keepingBottom(() => this.list.append(element('li', 'notice', text)));
  }

  /** The first message shown, if any. */
  oldest(): Position | undefined {
    const first = this.list.querySelector<HTMLElement>('.message');
    const { epoch, seq } = first?.dataset ?? {};
    return epoch === undefined || seq === undefined ? undefined : { epoch, seq: Number(seq) };
  }

  /** Runs `change`, then scrolls to the bottom if the reader was there. */
  keepingBottom(change: () => void): void {
    const { scrollHeight, clientHeight, scrollTop } = this.scroller;
    const atBottom = scrollHeight - clientHeight - scrollTop <= 2;
    change();
    if (atBottom) this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  private itemOf(message: ChatMessage, own: boolean): HTMLLIElement {
    const item = messageItem(message, own);
    item.dataset.key = keyOf(message);
    item.dataset.epoch = message.epoch;
    item.dataset.seq = String(message.seq);
    return item;
  }
}
