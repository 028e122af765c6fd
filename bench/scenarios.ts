// What `npm run bench` measures: the scenarios of issue 3 and the bounds of every step.
import type { Protocol } from './load/client.ts';
import type { ServerKind } from './servers.ts';

export const TIMING = { warmupMs: 1_000, measureMs: 3_000, drainMs: 2_000 } as const;

export type Scenario = {
  id: 'A' | 'B';
  clients: number;
  senders: number;
  /** Deliveries per second, stepped up until a step fails badly. */
  rates: readonly number[];
};

export const SCENARIOS: readonly Scenario[] = [
  { id: 'A', clients: 100, senders: 10, rates: [25_000, 50_000, 100_000, 200_000, 400_000] },
  { id: 'B', clients: 1_000, senders: 5, rates: [50_000, 100_000, 200_000] },
];

export type Series = { server: ServerKind; protocol: Protocol };

/** One server process per series; the baseline speaks only the plain protocol. */
export const SERIES: readonly Series[] = [
  { server: 'baseline', protocol: 'plain' },
  { server: 'hubbub', protocol: 'plain' },
  { server: 'hubbub', protocol: 'v1' },
];

/** Idle memory: two batches of `connections` held at once; the second one is measured. */
export const IDLE = { connections: 5_000, inFlight: 200 } as const;

/** A step this bad ends its series: higher rates would only fail worse, and take time. */
export const FAILS_BADLY = { completeness: 0.99, p99Ms: 1_000 } as const;

/** "Every message delivered and p99 < 100 ms": the bar for a rate the server handles. */
export const CLEAN_P99_MS = 100;

/** The rate at which the issue compares CPU per delivery against the baseline. */
export const REFERENCE_RATE = 50_000;

/** Server CPU, generator CPU; the machine has two. */
export const CPUS = { server: 0, generator: 1 } as const;

/**
 * A step during which other processes used more than this share of a core is measured again
 * (once per step, at most MAX_REPEATS times per run), and the quieter of the two is kept.
 */
export const NOISE = { otherCpuPercent: 30, maxRepeats: 8 } as const;
