import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { MetricsListener } from './metrics-listener.adapter.ts';
import { PROMETHEUS_SETTINGS, prometheusSettings } from './prometheus.settings.ts';
import { PROMETHEUS_TOKENS } from './prometheus.tokens.ts';
import { PrometheusMetrics } from './prometheus-metrics.adapter.ts';

export { PROMETHEUS_TOKENS } from './prometheus.tokens.ts';

/**
 * Metrics in the Prometheus text format, and their own listener (`--metrics-port`) serving
 * `GET /metrics`; the server starts and stops it with the transports.
 */
export const prometheusAdapter = defineAdapter({
  name: 'prometheus',
  settings: prometheusSettings,
  settingsToken: PROMETHEUS_SETTINGS,
  bind: ({ bind }) => {
    bind(PROMETHEUS_TOKENS.PrometheusMetrics).to(PrometheusMetrics).inSingletonScope();
    bind(TOKENS.Metrics).toService(PROMETHEUS_TOKENS.PrometheusMetrics);
    bind(TOKENS.Transport).to(MetricsListener).inSingletonScope();
  },
});
