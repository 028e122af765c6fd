// What the soak's clients saw, counted as it happens: connections by kind, messages, and how
// each misbehaving kind ended. Problems (a broken expectation) are kept with their detail.

export const KINDS = [
  'auditor',
  'chat ws',
  'chat hubbub.v1',
  'chat tcp',
  'chat sse',
  'paster ws',
  'vanish',
  'half-open',
  'handshake reset',
  'stalled handshake',
  'slow reader ws',
  'slow reader tcp',
  'final check',
] as const;
export type Kind = (typeof KINDS)[number];

/** How many problems are kept with their detail; all are counted. */
const PROBLEMS_KEPT = 30;

type Counts = { opened: number; closed: number; failed: number };

export class Tally {
  readonly connections = new Map<Kind, Counts>(KINDS.map((kind) => [kind, counts()]));
  sent = 0;
  sentBytes = 0;
  received = 0;
  receivedBytes = 0;
  /** Close codes (and reasons) received from the server, by kind. */
  readonly closes = new Map<string, number>();
  /** Outcomes of the misbehaving kinds: "vanish: rst after send" and so on. */
  readonly outcomes = new Map<string, number>();
  /** Longest time the server took to cut a half-open client or a stalled handshake, in ms. */
  readonly slowestCut = new Map<Kind, number>();
  problemCount = 0;
  readonly problems: string[] = [];

  opened(kind: Kind): void {
    (this.connections.get(kind) as Counts).opened++;
  }

  closed(kind: Kind): void {
    (this.connections.get(kind) as Counts).closed++;
  }

  /** A connection attempt that never reached the server (refused, or no answer). */
  failed(kind: Kind): void {
    (this.connections.get(kind) as Counts).failed++;
  }

  message(sent: boolean, bytes: number): void {
    if (sent) {
      this.sent++;
      this.sentBytes += bytes;
    } else {
      this.received++;
      this.receivedBytes += bytes;
    }
  }

  close(kind: Kind, code: number | string, reason = ''): void {
    const key = `${code}${reason === '' ? '' : ` ${reason}`} (${kind})`;
    this.closes.set(key, (this.closes.get(key) ?? 0) + 1);
  }

  outcome(kind: Kind, what: string): void {
    const key = `${kind}: ${what}`;
    this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
  }

  cut(kind: Kind, ms: number): void {
    this.slowestCut.set(kind, Math.max(ms, this.slowestCut.get(kind) ?? 0));
  }

  problem(text: string): void {
    this.problemCount++;
    if (this.problems.length < PROBLEMS_KEPT) this.problems.push(text);
  }

  /** Connections opened and not (yet) seen closed, every kind together. */
  get open(): number {
    let open = 0;
    for (const { opened, closed } of this.connections.values()) open += opened - closed;
    return open;
  }
}

const counts = (): Counts => ({ opened: 0, closed: 0, failed: 0 });
