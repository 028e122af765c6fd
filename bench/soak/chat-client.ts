// A well-behaved chat client: joins, says hello, chats at a human pace (or pastes large texts
// during a flood), says bye and leaves once its bye came back. Between its own hello and its
// own bye it records every message it received (how many, and a hash of their names in order):
// the hub delivers everything it broadcasts in that window to it, and the auditor checks that.
import type { Link, LinkEnd, LinkOptions } from './link.ts';
import { chainHash, HASH_START, type MessageKind, messageText, readText } from './message.ts';
import type { Random } from './random.ts';
import type { Kind, Tally } from './tally.ts';
import { resolvesWithin, sleep, sleepUnless } from './timing.ts';

export type Profile = 'chatter' | 'paster';

/** What one client received between its hello and its bye (when it saw both). */
export type ChatWindow = {
  sender: string;
  kind: Kind;
  helloId: string;
  byeId: string;
  /** Messages it sent, hello and bye included. */
  sent: number;
  count: number;
  hash: number;
  /** Gaps in the sequence numbers (hubbub.v1, SSE) inside the window. */
  seqGaps: number;
  /** Messages whose length was not the one declared in them. */
  broken: number;
};

export type ChatPlan = {
  sender: string;
  kind: Kind;
  makeLink: (onText: LinkOptions['onText']) => Link;
  rng: Random;
  lifetimeMs: number;
  profile: Profile;
  /** Chats less (the SSE clients: their posts share one rate limit, that of 127.0.0.1). */
  quiet?: boolean;
  tally: Tally;
  leaving: () => boolean;
};

const OPEN_MS = 5_000;
const BYE_MS = 10_000;
const CLOSE_MS = 5_000;
/** At most this many messages per client, whatever the lifetime. */
const MAX_MESSAGES = 2_000;

export const runChat = async (plan: ChatPlan): Promise<ChatWindow | undefined> => {
  const { sender, kind, rng, tally } = plan;
  const window = new WindowRecorder(sender, kind, tally);
  const link = plan.makeLink((text, seq) => window.receive(text, seq));
  if (!(await resolvesWithin(link.opened, OPEN_MS))) {
    tally.problem(`${kind} ${sender}: could not connect`);
    link.destroy();
    return undefined;
  }
  let ended: LinkEnd | undefined;
  void link.ended.then((end) => {
    if (end.byServer) ended = end;
  });
  const say = (what: MessageKind, length: number): string => {
    const text = messageText(what, sender, window.sent, length);
    link.send(text);
    tally.message(true, text.length);
    window.sent++;
    return readText(text).id;
  };
  window.helloId = say('hello', rng.int(20, 60));
  const until = performance.now() + plan.lifetimeMs;
  const stop = (): boolean =>
    plan.leaving() ||
    ended !== undefined ||
    performance.now() >= until ||
    window.sent >= MAX_MESSAGES;
  while (!stop()) {
    await sleepUnless(gap(plan.profile, rng) * (plan.quiet ? 2.5 : 1), stop);
    if (stop()) break;
    const burst = plan.profile === 'chatter' && !plan.quiet && rng.chance(0.1) ? rng.int(2, 4) : 1;
    for (let i = 0; i < burst && ended === undefined; i++) {
      if (i > 0) await sleep(150); // a few lines typed in a row, still under 7 a second
      say('chat', size(plan.profile, rng));
    }
  }
  if (ended === undefined) {
    window.byeId = say('bye', rng.int(20, 40));
    await resolvesWithin(window.byeSeen, BYE_MS);
  }
  if (ended === undefined) link.leave();
  if (!(await resolvesWithin(link.ended, CLOSE_MS))) {
    tally.problem(`${kind} ${sender}: still open ${CLOSE_MS} ms after it left`);
    link.destroy();
    await link.ended;
  }
  return window.result(ended);
};

const gap = (profile: Profile, rng: Random): number =>
  profile === 'paster' ? rng.between(90, 130) : Math.max(60, rng.exponential(1_200));

/** Chat lines are short, now and then a paragraph; a paster pastes logs of 10 to 16 KB. */
const size = (profile: Profile, rng: Random): number => {
  if (profile === 'paster') return rng.int(10_000, 16_000);
  const roll = rng.next();
  return roll < 0.7 ? rng.int(20, 120) : roll < 0.95 ? rng.int(120, 400) : rng.int(400, 1_500);
};

class WindowRecorder {
  helloId = '';
  byeId = '';
  sent = 0;
  readonly byeSeen: Promise<void>;
  #started = false;
  #done = false;
  #count = 0;
  #hash = HASH_START;
  #lastSeq: number | undefined;
  #seqGaps = 0;
  #broken = 0;
  #resolveBye: () => void = () => {};

  constructor(
    private readonly sender: string,
    private readonly kind: Kind,
    private readonly tally: Tally,
  ) {
    this.byeSeen = new Promise((resolve) => {
      this.#resolveBye = resolve;
    });
  }

  receive(text: string, seq: number | undefined): void {
    this.tally.message(false, text.length);
    if (this.#done) return;
    const { id, whole } = readText(text);
    if (!this.#started) {
      if (id !== this.helloId) return;
      this.#started = true;
    }
    this.#count++;
    this.#hash = chainHash(this.#hash, id);
    if (!whole) this.#broken++;
    if (seq !== undefined) {
      if (this.#lastSeq !== undefined && seq !== this.#lastSeq + 1) this.#seqGaps++;
      this.#lastSeq = seq;
    }
    if (id === this.byeId) {
      this.#done = true;
      this.#resolveBye();
    }
  }

  /** The window if it is complete; otherwise the reason becomes a problem. */
  result(ended: LinkEnd | undefined): ChatWindow | undefined {
    const who = `${this.kind} ${this.sender}`;
    if (ended !== undefined) {
      this.tally.close(this.kind, ended.code, ended.reason);
      this.tally.problem(
        `${who}: disconnected by the server (${ended.code}${ended.reason ? ` ${ended.reason}` : ''}) after ${this.sent} messages sent`,
      );
      return undefined;
    }
    if (!this.#done) {
      this.tally.problem(
        `${who}: ${this.#started ? 'its bye' : 'its hello'} never came back (window incomplete)`,
      );
      return undefined;
    }
    return {
      sender: this.sender,
      kind: this.kind,
      helloId: this.helloId,
      byeId: this.byeId,
      sent: this.sent,
      count: this.#count,
      hash: this.#hash,
      seqGaps: this.#seqGaps,
      broken: this.#broken,
    };
  }
}
