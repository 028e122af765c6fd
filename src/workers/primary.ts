import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../app/ports/logger.port.ts';
import { STOP_LIMIT_MS } from '../stop-on-signals.ts';
import { CRASH_WINDOW_MS, CrashBudget } from './crash-budget.ts';
import { isWorkerReport, type ListeningPorts, type WorkerReport } from './worker-reports.ts';

/** Each worker has STOP_LIMIT_MS to drain; the primary gives them this much more, then kills. */
const STOP_MARGIN_MS = 1_000;

export type PrimaryOptions = Readonly<{
  workers: number;
  logger: Logger;
  /** Once every worker listens, the first time: the ports they share. */
  listening: (ports: ListeningPorts) => void;
  /** The one line that says why the workers could not start; the primary then exits 2. */
  failedToStart: (line: string) => void;
  /** Stops what the primary serves itself (the metrics listener), before it exits. */
  stopOwn: () => Promise<void>;
}>;

/** A worker stopped by the primary's signal before it could handle one had nothing to drain. */
const stoppedCleanly = (code: number | null, signal: string | null): boolean =>
  code === 0 || signal === 'SIGTERM' || signal === 'SIGINT';

/**
 * The primary of `--workers N`: forks N workers that each run the whole server on the same
 * ports (node:cluster hands them the connections), and serves nothing itself but the metrics.
 * It forwards SIGTERM and SIGINT to every worker, which drains as a single process does, and
 * exits once all have exited: 0 if every one stopped cleanly, 1 otherwise, 2 if they could not
 * start. A worker that crashes is restarted, unless crashes keep coming (CrashBudget).
 */
export class Primary {
  readonly #live = new Set<Worker>();
  readonly #listening = new Set<Worker>();
  readonly #crashes = new CrashBudget();
  #up = false;
  #stopping = false;
  #exitCode = 0;

  constructor(private readonly options: PrimaryOptions) {}

  start(): void {
    const onSignal = (signal: NodeJS.Signals): void => {
      if (this.#stopping) {
        this.options.logger.info(`${signal} received, the stop is already under way`, { signal });
        return;
      }
      this.options.logger.info(`${signal} received, stopping every worker`, { signal });
      this.#stop(0);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    cluster.on('exit', (worker, code, signal) => this.#exited(worker, code, signal));
    for (let started = 0; started < this.options.workers; started++) this.#fork();
  }

  #fork(): void {
    const worker = cluster.fork();
    this.#live.add(worker);
    worker.on('message', (message: unknown) => {
      if (isWorkerReport(message)) this.#reported(worker, message);
    });
  }

  #reported(worker: Worker, report: WorkerReport): void {
    const { logger } = this.options;
    if (report.hubbub === 'failed') {
      if (this.#stopping) return; // every worker says the same; the first has been told
      if (this.#up) {
        // It exits next, and counts as a crash.
        logger.error('a restarted worker could not start', {
          worker: worker.id,
          error: report.line,
        });
        return;
      }
      this.options.failedToStart(report.line);
      this.#stop(2);
      return;
    }
    this.#listening.add(worker);
    logger.info('worker listening', { worker: worker.id, pid: worker.process.pid });
    if (!this.#up && !this.#stopping && this.#listening.size === this.options.workers) {
      this.#up = true;
      this.options.listening(report.ports);
    }
  }

  #exited(worker: Worker, code: number | null, signal: string | null): void {
    this.#live.delete(worker);
    this.#listening.delete(worker);
    if (this.#stopping) {
      if (!stoppedCleanly(code, signal)) this.#exitCode ||= 1;
      this.#finishOnceAllExited();
      return;
    }
    const { logger } = this.options;
    const fields = { worker: worker.id, pid: worker.process.pid, code, signal };
    if (!this.#up) {
      this.options.failedToStart(
        `hubbub: worker ${worker.id} exited before it listened (code ${code}, signal ${signal})`,
      );
      this.#stop(2);
      return;
    }
    if (this.#crashes.exhaustedBy(Date.now())) {
      logger.error('workers keep crashing; stopping every worker', {
        ...fields,
        crashes: this.#crashes.recent,
        windowMs: CRASH_WINDOW_MS,
      });
      this.#stop(1);
      return;
    }
    logger.error('worker exited unexpectedly; starting another', fields);
    this.#fork();
  }

  #stop(exitCode: number): void {
    this.#exitCode ||= exitCode;
    if (this.#stopping) return;
    this.#stopping = true;
    for (const worker of this.#live) worker.process.kill('SIGTERM');
    setTimeout(() => {
      this.options.logger.error('workers took too long to stop; killing them', {
        limitMs: STOP_LIMIT_MS + STOP_MARGIN_MS,
        left: this.#live.size,
      });
      for (const worker of this.#live) worker.process.kill('SIGKILL');
      process.exit(1);
    }, STOP_LIMIT_MS + STOP_MARGIN_MS).unref();
    this.#finishOnceAllExited();
  }

  #finishOnceAllExited(): void {
    if (this.#live.size > 0) return;
    const exit = (): never => process.exit(this.#exitCode);
    this.options.stopOwn().then(exit, (error: unknown) => {
      this.options.logger.error('shutdown failed', { error: String(error) });
      this.#exitCode ||= 1;
      exit();
    });
  }
}
