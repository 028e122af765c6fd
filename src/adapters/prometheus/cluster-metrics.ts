import { AggregatorRegistry } from 'prom-client';
import type { MetricsSource } from './metrics-listener.adapter.ts';
import { processMetrics } from './process-metrics.ts';
import type { PrometheusMetrics } from './prometheus-metrics.adapter.ts';

/**
 * In a worker of `--workers N`: answers the primary's requests for this process's metrics (its
 * server's and Node's own) over the cluster's IPC channel. The worker serves none itself: one
 * port answered by whichever worker the connection landed on would show a random worker.
 */
export const shareMetricsWithPrimary = (metrics: PrometheusMetrics): void => {
  AggregatorRegistry.setRegistries([metrics.registry, processMetrics()]);
  // Constructing one is what makes prom-client listen for the primary's requests.
  new AggregatorRegistry();
};

/**
 * In the primary: every worker's metrics as one exposition, each metric summed over the
 * workers (counters, connections, histograms) unless prom-client aggregates it otherwise
 * (Node's figures: event-loop lag averaged, versions listed once, start times omitted).
 */
export class WorkersMetrics implements MetricsSource {
  readonly #registry = new AggregatorRegistry();

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.#registry.contentType, body: await this.#registry.clusterMetrics() };
  }
}
