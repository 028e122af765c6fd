// One soak run, in process: the server as a child, the auditor, the churn in phases, readings
// of the server between them, and the checks. `run.ts` prints it; the test asserts on it.
import { waitUntilQuiet } from '../proc-stats.ts';
import { Auditor, type WindowCheck } from './auditor.ts';
import { runChat } from './chat-client.ts';
import { Load } from './load.ts';
import { type Reading, type Rest, takeReading, waitForRest } from './memory.ts';
import { Random } from './random.ts';
import { type ServerSettings, type SoakServer, startSoakServer } from './server.ts';
import { SocketWatch } from './server-sockets.ts';
import { Tally } from './tally.ts';
import { sleep } from './timing.ts';
import { type Check, checksOf } from './verdict.ts';
import { wsLink } from './ws-link.ts';

export type SoakOptions = {
  durationS: number;
  seed: number;
  /** Chat clients connected at once (besides pasters during floods and the misbehaving ones). */
  clients: number;
  /** Read memory (start, after warm-up, middle, end); off, there is no warm-up pause either. */
  memory: boolean;
  log?: (line: string) => void;
};

/** Short deadlines, so half-open clients are found within the run; a small send buffer. */
export const SETTINGS: ServerSettings = {
  pingIntervalMs: 1_000,
  pongTimeoutMs: 3_000,
  writeTimeoutMs: 2_000,
  sendBuffer: 32,
  maxMessageBytes: 16_384,
  handshakeTimeoutMs: 2_000,
};
export const WARM_UP_SHARE = 0.15;
/** How long the server may take to let go of everything once every client has ended. */
const REST_MS = SETTINGS.pongTimeoutMs + SETTINGS.writeTimeoutMs + 5_000;

export type SoakResult = {
  options: SoakOptions;
  settings: ServerSettings;
  server: Pick<SoakServer, 'pid' | 'port' | 'tcpPort' | 'command' | 'supports' | 'log'>;
  startedAt: string;
  elapsedS: number;
  tally: Tally;
  floods: number;
  stragglers: number;
  /** Connections the soak's clients opened before the reading after warm-up. */
  openedInWarmUp: number;
  windows: WindowCheck;
  auditorComplete: boolean;
  readings: Reading[];
  rest: Rest | undefined;
  finalClientOk: boolean;
  crashed: string | undefined;
  exit: { code: number | null; signal: string | null };
  stderrTail: string;
  checks: Check[];
};

export const runSoak = async (options: SoakOptions): Promise<SoakResult> => {
  const say = options.log ?? (() => {});
  const server = await startSoakServer(SETTINGS);
  const started = performance.now();
  const startedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const seconds = (): string => ((performance.now() - started) / 1000).toFixed(0).padStart(3);
  const progress = (line: string): void => say(`[${seconds()}s] ${line}`);
  progress(`server PID ${server.pid} on port ${server.port}, TCP lines on ${server.tcpPort}`);
  const tally = new Tally();
  const target = { port: server.port, tcpPort: server.tcpPort };
  const auditor = new Auditor();
  const load = new Load(
    {
      target,
      tally,
      watch: new SocketWatch(server.pid, [server.port, server.tcpPort]),
      settings: SETTINGS,
      cutsHandshakes: server.supports.handshakeTimeout,
    },
    new Random(options.seed),
    options.clients,
    () => server.crashed() !== undefined,
  );
  const readings: Reading[] = [];
  const read = async (label: string): Promise<void> => {
    if (server.crashed() !== undefined) return;
    const reading = await takeReading(label, server, started);
    readings.push(reading);
    progress(`${label}: RSS ${(reading.rssKb / 1024).toFixed(1)} MiB, ${reading.held} held`);
  };
  let stragglers = 0;
  let openedInWarmUp = 0;
  let auditorComplete = false;
  let rest: Rest | undefined;
  let finalClientOk = false;
  try {
    await waitUntilQuiet(server.pid, 5_000);
    if (options.memory) await read('start');
    await auditor.join(
      wsLink({ target, kind: 'auditor', tally, onText: (text) => auditor.receive(text) }, 'plain'),
      tally,
    );
    const totalMs = options.durationS * 1_000;
    if (options.memory) {
      const warmUpMs = Math.round(totalMs * WARM_UP_SHARE);
      progress(`warm-up: ${(warmUpMs / 1000).toFixed(1)} s of load`);
      stragglers += (await load.phase(warmUpMs)).stragglers;
      await waitForRest(server, 1, REST_MS); // the auditor only
      await read('after warm-up');
      for (const counts of tally.connections.values()) openedInWarmUp += counts.opened;
      progress(`load: ${((totalMs - warmUpMs) / 1000).toFixed(1)} s`);
      const middle = sleep(totalMs / 2 - warmUpMs).then(() => read('middle (under load)'));
      stragglers += (await load.phase(totalMs - warmUpMs)).stragglers;
      await middle;
    } else {
      progress(`load: ${options.durationS} s`);
      stragglers += (await load.phase(totalMs)).stragglers;
    }
    progress(`load stopped: ${tally.sent} messages sent, ${load.windows.length} windows`);
    auditorComplete = auditor.connected && (await auditor.leave(tally));
    rest = await waitForRest(server, 0, REST_MS);
    if (options.memory) await read('end');
    finalClientOk = await finalClient(target, tally);
  } catch (error) {
    tally.problem(`the soak itself failed: ${(error as Error).stack ?? String(error)}`);
  }
  const crashed = server.crashed();
  const exit = await server.stop();
  progress(`server stopped: exit ${exit.code ?? exit.signal}`);
  const windows = auditor.check(load.windows);
  const result: SoakResult = {
    options,
    settings: SETTINGS,
    server,
    startedAt,
    elapsedS: (performance.now() - started) / 1000,
    tally,
    floods: load.floods,
    stragglers,
    openedInWarmUp,
    windows,
    auditorComplete,
    readings,
    rest,
    finalClientOk,
    crashed,
    exit,
    stderrTail: server.stderrTail(),
    checks: [],
  };
  result.checks = checksOf(result);
  return result;
};

/** A fresh client after everything: it joins, chats, and gets its own messages back. */
const finalClient = async (target: { port: number; tcpPort: number }, tally: Tally) => {
  const window = await runChat({
    sender: 'final',
    kind: 'final check',
    makeLink: (onText) => wsLink({ target, kind: 'final check', tally, onText }, 'plain'),
    rng: new Random(1),
    lifetimeMs: 300,
    profile: 'chatter',
    tally,
    leaving: () => false,
  });
  return window !== undefined && window.count === window.sent;
};
