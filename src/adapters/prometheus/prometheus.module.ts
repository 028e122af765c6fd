import { defineAdapter } from '../../app/adapter.ts';
import { TOKENS } from '../../app/tokens.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { PrometheusMetrics } from './prometheus-metrics.adapter.ts';

export const PROMETHEUS_TOKENS = {
  PrometheusMetrics: Symbol.for('hubbub.prometheus.PrometheusMetrics'),
} as const;

/** Metrics in the Prometheus text format, and `GET /metrics` to read them. */
export const prometheusAdapter = defineAdapter({
  name: 'prometheus',
  bind: ({ bind }) => {
    bind(PROMETHEUS_TOKENS.PrometheusMetrics).to(PrometheusMetrics).inSingletonScope();
    bind(TOKENS.Metrics).toService(PROMETHEUS_TOKENS.PrometheusMetrics);
    bind(KIT_TOKENS.HttpRoute)
      .toDynamicValue(
        (context) => context.get<PrometheusMetrics>(PROMETHEUS_TOKENS.PrometheusMetrics).route,
      )
      .inSingletonScope();
  },
});
