// The reference stream. One plain WebSocket client reads from before the load starts until
// after it ends and keeps the name of every message in the order the hub broadcast it (every
// client sees the same order). A client's window, its own hello to its own bye, must match the
// same slice of this stream exactly: same messages, same order. Others' evictions or resets
// do not change that slice, so the check holds however the misbehaving clients end.
import type { ChatWindow } from './chat-client.ts';
import type { Link } from './link.ts';
import { chainHash, HASH_START, messageText, readText } from './message.ts';
import type { Tally } from './tally.ts';
import { resolvesWithin, waitFor } from './timing.ts';

const SENDER = 'auditor';
const WAIT_MS = 10_000;

export type WindowCheck = { checked: number; lost: string[]; unseen: string[] };

export class Auditor {
  readonly ids: string[] = [];
  readonly #index = new Map<string, number>();
  readonly #bySender = new Map<string, number>();
  #link: Link | undefined;
  #ended = false;

  receive(text: string): void {
    const { id } = readText(text);
    this.#index.set(id, this.ids.length);
    this.ids.push(id);
    const sender = id.split(':')[1] ?? '';
    this.#bySender.set(sender, (this.#bySender.get(sender) ?? 0) + 1);
  }

  /** Connects and waits until its own hello came back: from then on it sees every broadcast. */
  async join(link: Link, tally: Tally): Promise<void> {
    this.#link = link;
    void link.ended.then(() => {
      this.#ended = true;
    });
    if (!(await resolvesWithin(link.opened, WAIT_MS)))
      throw new Error('the auditor could not connect');
    const hello = messageText('hello', SENDER, 0, 40);
    link.send(hello);
    tally.message(true, hello.length);
    if (!(await waitFor(() => this.#index.has(readText(hello).id), WAIT_MS))) {
      throw new Error('the auditor never received its own hello');
    }
  }

  /** Whether it is still connected (a disconnected auditor makes later windows unverifiable). */
  get connected(): boolean {
    return !this.#ended;
  }

  /** Says bye, waits for it to come back (every earlier broadcast is then in), and leaves. */
  async leave(tally: Tally): Promise<boolean> {
    const link = this.#link;
    if (link === undefined) return false;
    const bye = messageText('bye', SENDER, 1, 40);
    link.send(bye);
    tally.message(true, bye.length);
    const complete = await waitFor(() => this.#index.has(readText(bye).id), WAIT_MS);
    link.leave();
    if (!(await resolvesWithin(link.ended, WAIT_MS))) link.destroy();
    return complete;
  }

  /** Every window against the reference stream; every message of those senders must be in it. */
  check(windows: readonly ChatWindow[]): WindowCheck {
    const result: WindowCheck = { checked: 0, lost: [], unseen: [] };
    for (const window of windows) {
      const from = this.#index.get(window.helloId);
      const to = this.#index.get(window.byeId);
      const who = `${window.kind} ${window.sender}`;
      if (from === undefined || to === undefined) {
        result.unseen.push(
          `${who}: the auditor never received its ${from === undefined ? 'hello' : 'bye'}`,
        );
        continue;
      }
      result.checked++;
      let hash = HASH_START;
      for (let i = from; i <= to; i++) hash = chainHash(hash, this.ids[i] as string);
      const expected = to - from + 1;
      const fromSender = this.#bySender.get(window.sender) ?? 0;
      if (hash !== window.hash || expected !== window.count) {
        const which =
          expected === window.count
            ? ' (same count, different order or content)'
            : expected < window.count
              ? ' (the auditor missed some)'
              : '';
        result.lost.push(
          `${who}: received ${window.count} messages in its window, the auditor ${expected}${which}`,
        );
      } else if (window.seqGaps > 0 || window.broken > 0) {
        result.lost.push(
          `${who}: ${window.seqGaps} sequence gaps, ${window.broken} truncated messages`,
        );
      } else if (fromSender !== window.sent) {
        result.unseen.push(
          `${who}: sent ${window.sent} messages, the auditor received ${fromSender}`,
        );
      }
    }
    return result;
  }
}
