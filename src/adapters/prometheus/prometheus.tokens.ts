/** The prometheus adapter's own parts, for its module and for tests to look at. */
export const PROMETHEUS_TOKENS = {
  PrometheusMetrics: Symbol.for('hubbub.prometheus.PrometheusMetrics'),
} as const;
