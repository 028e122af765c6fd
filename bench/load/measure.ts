// The measure window of a step, on connections already open: senders paced at a rate for a
// warm-up and a measure window, then a bounded drain; server CPU read from /proc around the
// window (summed over the server's processes; a store they share, such as Redis, is counted
// apart). Every delivery is counted by the recorder the connections share.
import { performance } from 'node:perf_hooks';
import { ms } from '../format.ts';
import { busiestOther, cpuMicros, machineBusyMicros, processTimes } from '../proc-stats.ts';
import type { BenchClient } from './client.ts';
import { GeneratorMonitor } from './monitor.ts';
import { nowUs } from './open.ts';
import { Pacer } from './pacer.ts';
import type { Recorder } from './recorder.ts';

export type Timing = { warmupMs: number; measureMs: number; drainMs: number };

/** A store the servers share (Redis): its process, and its CPU µs so far as it reports them. */
export type SharedStore = { pid: number; cpuUs: () => Promise<number> };

export type PacedPlan = Timing & {
  /** The server's processes: their CPU is summed. */
  serverPids: readonly number[];
  /** Read around the window; its CPU is neither the servers' nor other processes'. */
  store?: SharedStore;
  /** Every connection of the step: the ones the server closed count as evicted. */
  clients: readonly BenchClient[];
  senders: readonly BenchClient[];
  /** The target in deliveries per second, as reported. */
  rate: number;
  messagesPerSecond: number;
  /** Connections each message is owed to (the senders' own copies included). */
  receiversPerMessage: number;
  recorder: Recorder;
  failedConnections: number;
};

export type StepResult = {
  rate: number;
  achieved: number;
  /** Share of the deliveries owed for messages sent in the window that arrived (0..1). */
  completeness: number;
  expected: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  serverCpuUsPerDelivery: number;
  serverCpuPercent: number;
  generatorCpuPercent: number;
  generatorLoopP99Ms: number;
  /** Generator CPU per socket read in the window: reads of a burst are served one by one. */
  generatorUsPerRead: number;
  /** How late the senders were against their schedule: median and 99th percentile. */
  sendLagP50Ms: number;
  sendLagP99Ms: number;
  /** CPU used by anything but the server and the generator (other processes, kernel network
   * work not charged to either), as % of one core: high values mean a noisy measurement. */
  otherCpuPercent: number;
  /** The busiest other process in the window, when other CPU was noticeable. */
  otherBusiest: string | undefined;
  /** Why the generator counts as saturated, or undefined if it kept up. */
  saturated: string | undefined;
  deliveriesPerFrame: number;
  evicted: number;
  gaps: number;
  failedConnections: number;
};

// The generator counts as saturated when it used nearly all of its core, when its senders ran
// behind schedule most of the time (not just behind a burst of reads: libuv serves a burst of
// ready sockets before timers), or when its event loop stalled.
export const SATURATION = { cpuPercent: 90, sendLagP50Ms: 5, loopP99Ms: 100 } as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type Paced = {
  step: StepResult;
  pacer: Pacer;
  /** The store's CPU in the window (undefined without a store). */
  storeCpu: StoreCpu | undefined;
};

/** CPU time in the window, and as % of one core. */
export type StoreCpu = { us: number; percent: number };

const serverCpu = (pids: readonly number[]): number =>
  pids.reduce((sum, pid) => sum + cpuMicros(pid), 0);

export const measurePaced = async (plan: PacedPlan): Promise<Paced> => {
  const { recorder } = plan;
  const pacer = new Pacer(plan.senders, plan.messagesPerSecond);
  try {
    await sleep(plan.warmupMs);

    const monitor = new GeneratorMonitor();
    const storeBefore = await plan.store?.cpuUs();
    const processesBefore = processTimes();
    const cpuBefore = serverCpu(plan.serverPids);
    const machineBefore = machineBusyMicros();
    const started = nowUs();
    recorder.open(started);
    pacer.count();
    monitor.start();
    await sleep(plan.measureMs);
    pacer.stop();
    recorder.close();
    const cpuUs = serverCpu(plan.serverPids) - cpuBefore;
    const machineUs = machineBusyMicros() - machineBefore;
    const windowUs = nowUs() - started;
    const generator = monitor.stop();
    const processesAfter = processTimes();
    const storeUs =
      plan.store === undefined ? undefined : (await plan.store.cpuUs()) - (storeBefore ?? 0);
    const storeCpu =
      storeUs === undefined ? undefined : { us: storeUs, percent: (storeUs / windowUs) * 100 };
    const ours = [...plan.serverPids, process.pid, ...(plan.store ? [plan.store.pid] : [])];
    const busiest = busiestOther(processesBefore, processesAfter, ours);
    const othersUs = machineUs - cpuUs - (storeUs ?? 0);

    const expected = pacer.sentCounted * plan.receiversPerMessage;
    const drainUntil = performance.now() + plan.drainMs;
    while (recorder.counted < expected && performance.now() < drainUntil) await sleep(10);

    const sendLagP50Ms = pacer.sendLag.quantileMs(0.5);
    const sendLagP99Ms = pacer.sendLag.quantileMs(0.99);
    const reasons = [
      generator.cpuPercent >= SATURATION.cpuPercent && `CPU ${generator.cpuPercent.toFixed(0)}%`,
      sendLagP50Ms > SATURATION.sendLagP50Ms && `sends ${ms(sendLagP50Ms)} ms late at p50`,
      generator.loopP99Ms > SATURATION.loopP99Ms &&
        `event loop delay p99 ${ms(generator.loopP99Ms)} ms`,
    ].filter((reason): reason is string => typeof reason === 'string');
    const step: StepResult = {
      rate: plan.rate,
      achieved: recorder.receivedInWindow / (windowUs / 1e6),
      completeness: expected === 0 ? 0 : Math.min(recorder.counted, expected) / expected,
      expected,
      delivered: recorder.counted,
      p50Ms: recorder.latency.quantileMs(0.5),
      p99Ms: recorder.latency.quantileMs(0.99),
      maxMs: recorder.latency.maxMs(),
      serverCpuUsPerDelivery: cpuUs / Math.max(1, recorder.receivedInWindow),
      serverCpuPercent: (cpuUs / windowUs) * 100,
      generatorCpuPercent: generator.cpuPercent,
      generatorLoopP99Ms: generator.loopP99Ms,
      generatorUsPerRead:
        ((generator.cpuPercent / 100) * windowUs) / Math.max(1, recorder.readsInWindow),
      sendLagP50Ms,
      sendLagP99Ms,
      otherCpuPercent: Math.max(0, (othersUs / windowUs) * 100 - generator.cpuPercent),
      otherBusiest:
        busiest === undefined || busiest.us < windowUs * 0.05
          ? undefined
          : `${busiest.name} (PID ${busiest.pid}) ${((busiest.us / windowUs) * 100).toFixed(0)}%`,
      saturated: reasons.length === 0 ? undefined : reasons.join(', '),
      deliveriesPerFrame: recorder.receivedInWindow / Math.max(1, recorder.framesInWindow),
      evicted: plan.clients.filter((client) => client.closeCode !== undefined).length,
      gaps: recorder.gaps,
      failedConnections: plan.failedConnections,
    };
    return { step, pacer, storeCpu };
  } finally {
    pacer.stop();
  }
};
