// Is the generator itself the bottleneck? Its CPU time and event-loop delay over a window.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

// Node's histogram records the whole interval between samples, the resolution included.
const RESOLUTION_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loopDelay.enable();

export type GeneratorLoad = { cpuPercent: number; loopP99Ms: number };

export class GeneratorMonitor {
  #cpu = process.cpuUsage();
  #started = performance.now();

  start(): void {
    this.#cpu = process.cpuUsage();
    this.#started = performance.now();
    loopDelay.reset();
  }

  stop(): GeneratorLoad {
    const used = process.cpuUsage(this.#cpu);
    const wallUs = (performance.now() - this.#started) * 1000;
    return {
      cpuPercent: ((used.user + used.system) / wallUs) * 100,
      loopP99Ms: Math.max(0, loopDelay.percentile(99) / 1e6 - RESOLUTION_MS),
    };
  }
}
