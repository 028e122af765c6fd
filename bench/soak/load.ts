// The churn: a population of chat clients kept near its target size, joining and leaving, with
// misbehaving clients mixed in, and floods (pasted logs) that fill slow readers' buffers. Runs
// in phases; each phase ends with a drain, after which no client of the soak is connected.
import { type ChatWindow, type Profile, runChat } from './chat-client.ts';
import type { Link, LinkOptions } from './link.ts';
import {
  handshakeReset,
  type MisfitContext,
  stalledHandshake,
  vanish,
  vanishElsewhere,
} from './misfits.ts';
import type { Random } from './random.ts';
import { sseLink } from './sse-link.ts';
import { halfOpen, slowReaderTcp, slowReaderWs } from './stalled-readers.ts';
import type { Kind } from './tally.ts';
import { tcpLink } from './tcp-link.ts';
import { resolvesWithin, sleep } from './timing.ts';
import { wsLink } from './ws-link.ts';

const TICK_MS = 100;
export const FLOOD_MS = 7_000;
const FLOOD_EVERY_MS = 15_000;
export const PASTERS = 10;
/** How long the drain at the end of a phase may take; every client has its own deadlines. */
const DRAIN_MS = 30_000;
const CHAT_KINDS = { 'chat ws': 45, 'chat hubbub.v1': 30, 'chat tcp': 13, 'chat sse': 12 } as const;
type ChatKind = keyof typeof CHAT_KINDS;
type Group = 'chat' | 'paster' | 'vanish' | 'reset' | 'half-open' | 'stalled' | 'slow';

/** Floods of a phase: every 15 s, the first 3 s in (sooner if the phase is short). */
export const floodsFor = (lengthMs: number): number[] => {
  const starts: number[] = [];
  for (let at = Math.min(3_000, lengthMs - FLOOD_MS); at >= 0 && at + FLOOD_MS <= lengthMs; ) {
    starts.push(at);
    at += FLOOD_EVERY_MS;
  }
  return starts;
};

export class Load {
  readonly windows: ChatWindow[] = [];
  floods = 0;
  #leaving = false;
  #next = 0;
  readonly #active = new Map<Group, Set<Promise<void>>>();

  constructor(
    private readonly context: Omit<MisfitContext, 'leaving' | 'floodOver'>,
    private readonly rng: Random,
    private readonly clients: number,
    /** The server is gone: stop churning. */
    private readonly aborted: () => boolean,
  ) {}

  get active(): number {
    let count = 0;
    for (const group of this.#active.values()) count += group.size;
    return count;
  }

  /** Churns for `lengthMs`, then drains; resolves once every client of the phase has ended. */
  async phase(lengthMs: number): Promise<{ stragglers: number }> {
    this.#leaving = false;
    const floods = floodsFor(lengthMs);
    const started = performance.now();
    let nextFlood = 0;
    // The clock ends the phase; the count only bounds the loop (timers may fire a little early).
    for (let tick = 0; tick < (3 * lengthMs) / TICK_MS + 100; tick++) {
      const t = performance.now() - started;
      if (t >= lengthMs || this.aborted()) break;
      const floodAt = floods[nextFlood];
      if (floodAt !== undefined && t >= floodAt) {
        nextFlood++;
        this.#flood(started + floodAt + FLOOD_MS);
      }
      const inFlood = floods.some((at) => t >= at - 1_000 && t < at + FLOOD_MS + 1_000);
      this.#spawn(inFlood);
      await sleep(TICK_MS);
    }
    this.#leaving = true;
    const all = [...this.#active.values()].flatMap((group) => [...group]);
    await resolvesWithin(Promise.all(all), DRAIN_MS);
    return { stragglers: this.active };
  }

  #spawn(nearFlood: boolean): void {
    const { rng } = this;
    for (let i = 0; i < 3 && this.#count('chat') < this.clients; i++) {
      const kind = rng.weighted<ChatKind>(CHAT_KINDS);
      this.#chat(kind, kind === 'chat sse' ? 'quiet' : 'chatter', rng.between(2_000, 14_000));
    }
    const context = this.#misfitContext(() => true);
    if (this.#count('vanish') < 3 && rng.chance(0.15)) {
      const transport = rng.weighted({ ws: 70, tcp: 15, sse: 15 });
      const name = this.#name('v');
      this.#track(
        'vanish',
        transport === 'ws'
          ? vanish(context, rng.fork(), name)
          : vanishElsewhere(context, rng.fork(), name, transport),
      );
    }
    if (rng.chance(0.15)) this.#track('reset', handshakeReset(context, rng.fork()));
    // Not in a flood: a flood would evict it before the keepalive drops it, and an evicted
    // client that never reads is held 30 s (see docs/reliability.md, Findings).
    if (!nearFlood && this.#count('half-open') < 3 && rng.chance(0.2)) {
      this.#track('half-open', halfOpen(context));
    }
    if (this.context.cutsHandshakes && this.#count('stalled') < 2 && rng.chance(0.1)) {
      this.#track('stalled', stalledHandshake(context, rng.fork()));
    }
  }

  /** Pasters for the flood's length, and slow readers that read again a second after it. */
  #flood(endsAt: number): void {
    this.floods++;
    for (let i = 0; i < PASTERS; i++) {
      const kind = this.rng.chance(0.5) ? 'chat ws' : 'chat hubbub.v1';
      this.#chat(kind, 'paster', endsAt - performance.now());
    }
    const context = this.#misfitContext(() => performance.now() >= endsAt + 1_000);
    for (let i = 0; i < 2; i++) {
      this.#track('slow', slowReaderWs(context, this.rng.fork(), this.#name('s')));
    }
    this.#track('slow', slowReaderTcp(context, this.rng.fork(), this.#name('t')));
  }

  #chat(kind: ChatKind, profile: Profile | 'quiet', lifetimeMs: number): void {
    const { target, tally } = this.context;
    const linkKind: Kind = profile === 'paster' ? 'paster ws' : kind;
    const makeLink = (onText: LinkOptions['onText']): Link => {
      const options = { target, kind: linkKind, tally, onText };
      if (kind === 'chat tcp') return tcpLink(options);
      if (kind === 'chat sse') return sseLink(options);
      return wsLink(options, kind === 'chat hubbub.v1' ? 'hubbub.v1' : 'plain');
    };
    const run = runChat({
      sender: this.#name(profile === 'paster' ? 'p' : 'c'),
      kind: linkKind,
      makeLink,
      rng: this.rng.fork(),
      lifetimeMs,
      profile: profile === 'paster' ? 'paster' : 'chatter',
      quiet: profile === 'quiet',
      tally,
      leaving: () => this.#leaving,
    }).then((window) => {
      if (window !== undefined) this.windows.push(window);
    });
    this.#track(profile === 'paster' ? 'paster' : 'chat', run);
  }

  #misfitContext(floodOver: () => boolean): MisfitContext {
    return { ...this.context, leaving: () => this.#leaving, floodOver };
  }

  #name(prefix: string): string {
    return `${prefix}${this.#next++}`;
  }

  #count(group: Group): number {
    return this.#active.get(group)?.size ?? 0;
  }

  #track(group: Group, run: Promise<void>): void {
    let set = this.#active.get(group);
    if (set === undefined) {
      set = new Set();
      this.#active.set(group, set);
    }
    const tracked = run
      .catch((error: unknown) => this.context.tally.problem(`${group}: ${String(error)}`))
      .finally(() => set.delete(tracked));
    set.add(tracked);
  }
}
