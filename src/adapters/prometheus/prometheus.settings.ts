import { hostName, integer, orOff, type ValuesOf } from '../../app/config.ts';

export const prometheusSettings = {
  /** The metrics listener's port: the conventional exporter port; `off` serves no metrics. */
  metricsPort: {
    flag: 'metrics-port',
    env: ['HUBBUB_METRICS_PORT'],
    fallback: '9464',
    help: 'port of the listener that serves GET /metrics, apart from the chat (0 picks a free one; off: none)',
    parse: orOff(integer(0, 65_535), 'a port number from 0 to 65535'),
  },
  /** Loopback by default: only this machine (or a sidecar) can read the metrics. */
  metricsHost: {
    flag: 'metrics-host',
    env: ['HUBBUB_METRICS_HOST'],
    fallback: '127.0.0.1',
    help: 'address the metrics listener binds (0.0.0.0 for every interface: firewall it)',
    parse: hostName,
  },
} as const;

export type PrometheusSettings = ValuesOf<typeof prometheusSettings>;

/** The core's settings with the prometheus adapter's own, as its module binds them. */
export const PROMETHEUS_SETTINGS = Symbol.for('hubbub.prometheus.Settings');
