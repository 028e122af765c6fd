// One step of a scenario: fresh connections, senders paced at the target rate for a warm-up
// and a measure window, then a bounded drain; server CPU read from /proc around the window.
import { performance } from 'node:perf_hooks';
import { ms } from '../format.ts';
import { busiestOther, cpuMicros, machineBusyMicros, processTimes } from '../proc-stats.ts';
import type { BenchClient, Protocol } from './client.ts';
import { GeneratorMonitor } from './monitor.ts';
import { closeClients, nowUs, openClients } from './open.ts';
import { Pacer } from './pacer.ts';
import { Recorder } from './recorder.ts';

export type StepPlan = {
  port: number;
  serverPid: number;
  protocol: Protocol;
  clients: number;
  senders: number;
  /** Deliveries per second: messages per second times receivers (every client receives). */
  rate: number;
  warmupMs: number;
  measureMs: number;
  drainMs: number;
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

export const runStep = async (plan: StepPlan): Promise<StepResult> => {
  const recorder = new Recorder(plan.clients, plan.senders);
  const { clients, failed } = await openClients({
    port: plan.port,
    count: plan.clients,
    protocol: plan.protocol,
    inFlight: 200,
    recorder,
    timeoutMs: 20_000,
  });
  let pacer: Pacer | undefined;
  try {
    await sleep(100);
    pacer = new Pacer(clients.slice(0, plan.senders), plan.rate / plan.clients);
    await sleep(plan.warmupMs);

    const monitor = new GeneratorMonitor();
    const processesBefore = processTimes();
    const cpuBefore = cpuMicros(plan.serverPid);
    const machineBefore = machineBusyMicros();
    const started = nowUs();
    recorder.open(started);
    pacer.count();
    monitor.start();
    await sleep(plan.measureMs);
    pacer.stop();
    recorder.close();
    const cpuUs = cpuMicros(plan.serverPid) - cpuBefore;
    const machineUs = machineBusyMicros() - machineBefore;
    const windowUs = nowUs() - started;
    const generator = monitor.stop();
    const busiest = busiestOther(processesBefore, processTimes(), [plan.serverPid, process.pid]);

    const expected = pacer.sentCounted * plan.clients;
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
    return {
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
      otherCpuPercent: Math.max(0, ((machineUs - cpuUs) / windowUs) * 100 - generator.cpuPercent),
      otherBusiest:
        busiest === undefined || busiest.us < windowUs * 0.05
          ? undefined
          : `${busiest.name} (PID ${busiest.pid}) ${((busiest.us / windowUs) * 100).toFixed(0)}%`,
      saturated: reasons.length === 0 ? undefined : reasons.join(', '),
      deliveriesPerFrame: recorder.receivedInWindow / Math.max(1, recorder.framesInWindow),
      evicted: clients.filter((client: BenchClient) => client.closeCode !== undefined).length,
      gaps: recorder.gaps,
      failedConnections: failed,
    };
  } finally {
    pacer?.stop();
    await closeClients(clients);
  }
};
