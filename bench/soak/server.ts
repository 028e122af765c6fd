// The server under soak: the real entry point as a child process on loopback, with short
// keepalive deadlines, SIGUSR2 for a forced GC (bench/gc-on-signal.mjs), and its log tallied.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { freePort } from '../free-port.ts';
import { HUBBUB_DIR } from '../servers.ts';

const READY_MS = 20_000;
const STOP_MS = 10_000;
const STDERR_KEPT = 8_192;
/** Distinct log lines (message and reason) tallied; the rest are counted as "other". */
const LOG_KINDS_KEPT = 40;

export type ServerSettings = {
  pingIntervalMs: number;
  pongTimeoutMs: number;
  writeTimeoutMs: number;
  sendBuffer: number;
  maxMessageBytes: number;
  handshakeTimeoutMs: number;
};

export type SoakServer = {
  pid: number;
  port: number;
  tcpPort: number;
  /** Where GET /metrics is served: its own listener, or the chat port before it had one. */
  metricsPort: number;
  command: string;
  /** Flags this server's `--help` lists that the soak uses when present. */
  supports: { handshakeTimeout: boolean; logLevel: boolean; metricsPort: boolean };
  /** Set when the process ended before `stop()` was called. */
  crashed: () => string | undefined;
  /** Log lines by message (and reason), and lines at error level. */
  log: { kinds: Map<string, number>; errors: string[] };
  stderrTail: () => string;
  /** SIGTERM, then the exit code (SIGKILL after 10 s: `signal` says so). */
  stop: () => Promise<{ code: number | null; signal: string | null }>;
};

const helpText = (cwd: string): string => {
  try {
    return execFileSync(process.execPath, ['--import=tsx', 'src/main.ts', '--help'], {
      cwd,
      encoding: 'utf8',
      timeout: 20_000,
    });
  } catch {
    return '';
  }
};

export const startSoakServer = async (settings: ServerSettings): Promise<SoakServer> => {
  const cwd = HUBBUB_DIR;
  const help = helpText(cwd);
  const supports = {
    handshakeTimeout: help.includes('--handshake-timeout-ms'),
    logLevel: help.includes('--log-level'),
    perIpLimits: help.includes('--rate-limit-per-ip'),
    metricsPort: help.includes('--metrics-port'),
  };
  // The TCP line port is chosen here rather than with 0: not every version logs the one it got.
  const tcpPort = await freePort();
  const metricsPort = supports.metricsPort ? await freePort() : undefined;
  const args = [
    '--expose-gc',
    '--import=tsx',
    `--import=${new URL('../gc-on-signal.mjs', import.meta.url).href}`,
    'src/main.ts',
    ...['--host', '127.0.0.1', '--port', '0', '--tcp-port', String(tcpPort)],
    ...['--ping-interval-ms', String(settings.pingIntervalMs)],
    ...['--pong-timeout-ms', String(settings.pongTimeoutMs)],
    ...['--write-timeout-ms', String(settings.writeTimeoutMs)],
    ...['--send-buffer', String(settings.sendBuffer)],
    ...['--max-message-bytes', String(settings.maxMessageBytes)],
    ...(supports.handshakeTimeout
      ? ['--handshake-timeout-ms', String(settings.handshakeTimeoutMs)]
      : []),
    ...(supports.logLevel ? ['--log-level', 'warn'] : []),
    // Every client of the soak is on 127.0.0.1, where real ones would be many addresses: the
    // per-address limits would see one client with hundreds of connections.
    ...(supports.perIpLimits ? ['--rate-limit-per-ip', '0', '--max-connections-per-ip', '0'] : []),
    ...(metricsPort === undefined ? [] : ['--metrics-port', String(metricsPort)]),
  ];
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  let crash: string | undefined;
  let stderr = '';
  let partial = '';
  const log = { kinds: new Map<string, number>(), errors: [] as string[] };
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEPT);
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) tallyLine(log, line);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      if (!stopping) crash = `exited with ${code ?? signal} while soaking`;
      resolve({ code, signal });
    });
  });
  const port = await readyPort(child, () => stderr);
  return {
    pid: child.pid as number,
    port,
    tcpPort,
    metricsPort: metricsPort ?? port,
    command: `node ${args.join(' ').replace(/--import=file:\S+\/bench\//, '--import=./bench/')}`,
    supports,
    crashed: () => crash,
    log,
    stderrTail: () => stderr,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
      const result = await exited;
      clearTimeout(kill);
      return result;
    },
  };
};

const readyPort = (child: ChildProcess, stderr: () => string): Promise<number> =>
  new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`not ready in ${READY_MS} ms`)), READY_MS);
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Hubbub listening on http:\/\/[^\s]+:(\d+)/.exec(stdout);
      if (match !== null) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready: ${stderr().trim()}`));
    });
  });

/** JSON log lines (console or pino): counted by message and reason; errors kept. */
const tallyLine = (log: SoakServer['log'], line: string): void => {
  if (line.trim() === '') return;
  let entry: { level?: unknown; msg?: unknown; reason?: unknown; eviction?: unknown };
  try {
    entry = JSON.parse(line);
  } catch {
    entry = { level: 'text', msg: line.slice(0, 80) };
  }
  const error = entry.level === 'error' || entry.level === 'fatal' || Number(entry.level) >= 50;
  if (error && log.errors.length < 20) log.errors.push(line.slice(0, 300));
  const why = entry.eviction ?? entry.reason;
  const reason = typeof why === 'string' ? ` (${why})` : '';
  let kind = `${String(entry.msg)}${reason}`;
  if (!log.kinds.has(kind) && log.kinds.size >= LOG_KINDS_KEPT) kind = 'other';
  log.kinds.set(kind, (log.kinds.get(kind) ?? 0) + 1);
};
