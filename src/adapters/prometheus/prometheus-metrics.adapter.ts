import { injectable } from 'inversify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type {
  EvictionReason,
  Metrics,
  RejectionReason,
  TransportMetrics,
} from '../../app/ports/metrics.port.ts';
import { processMetrics } from './process-metrics.ts';
import { TransportCounters } from './transport-counters.ts';

/** Fan-out of one broadcast to every connection: microseconds when idle, more under load. */
const FAN_OUT_BUCKETS = [1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5];
const LIFETIME_BUCKETS = [1, 10, 60, 300, 1_800, 3_600, 21_600, 86_400];

/**
 * The service's metrics in the Prometheus text format; `MetricsListener` serves them on
 * `GET /metrics`, on a port of its own.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly transports = new Map<string, TransportCounters>();
  private readonly open = new Map<string, number>();
  private readonly opened: Counter<'transport'>;
  private readonly closed: Counter<'transport' | 'reason'>;
  private readonly evictions: Counter<'transport' | 'reason'>;
  private readonly rejections: Counter<'transport' | 'reason'>;
  private readonly fanOutSeconds: Histogram;
  private readonly lifetimes: Histogram<'transport'>;

  constructor() {
    const registers = [this.registry];
    const transports = this.transports;
    const open = this.open;
    new Gauge({
      name: 'hubbub_connections',
      help: 'Connections open now, by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        for (const [transport, count] of open) this.set({ transport }, count);
      },
    });
    this.opened = new Counter({
      name: 'hubbub_connections_opened_total',
      help: 'Connections that joined the hub, by transport',
      labelNames: ['transport'],
      registers,
    });
    this.closed = new Counter({
      name: 'hubbub_connections_closed_total',
      help: 'Connections that left the hub, by transport and reason (left, overflowed, dropped, shutdown)',
      labelNames: ['transport', 'reason'],
      registers,
    });
    const fromCounters = (
      name: string,
      help: string,
      read: (counters: TransportCounters) => number,
    ): void => {
      new Counter({
        name,
        help,
        labelNames: ['transport'],
        registers,
        collect() {
          this.reset();
          for (const [transport, counters] of transports) this.inc({ transport }, read(counters));
        },
      });
    };
    fromCounters(
      'hubbub_messages_received_total',
      'Chat messages received from clients, by transport',
      (c) => c.messagesReceived,
    );
    fromCounters(
      'hubbub_received_bytes_total',
      'Bytes of chat messages received from clients, by transport',
      (c) => c.bytesReceived,
    );
    fromCounters(
      'hubbub_messages_delivered_total',
      'Broadcasts handed to client sockets (one per message per client), by transport',
      (c) => c.messagesDelivered,
    );
    fromCounters(
      'hubbub_delivered_bytes_total',
      'Bytes written to client sockets for broadcasts, framing included, by transport',
      (c) => c.bytesDelivered,
    );
    this.evictions = new Counter({
      name: 'hubbub_evictions_total',
      help: 'Connections the server removed, by transport and reason',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.rejections = new Counter({
      name: 'hubbub_rejections_total',
      help: 'Clients or requests turned away before joining, by transport and reason',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.lifetimes = new Histogram({
      name: 'hubbub_connection_duration_seconds',
      help: 'How long connections stayed, by transport',
      labelNames: ['transport'],
      buckets: LIFETIME_BUCKETS,
      registers,
    });
    this.fanOutSeconds = new Histogram({
      name: 'hubbub_broadcast_fanout_seconds',
      help: 'Time to hand one broadcast to every connection',
      buckets: FAN_OUT_BUCKETS,
      registers,
    });
  }

  forTransport(transport: string): TransportMetrics {
    let counters = this.transports.get(transport);
    if (counters === undefined) {
      counters = new TransportCounters();
      this.transports.set(transport, counters);
      if (!this.open.has(transport)) this.open.set(transport, 0);
    }
    return counters;
  }

  connectionOpened(transport: string): void {
    this.open.set(transport, (this.open.get(transport) ?? 0) + 1);
    this.opened.inc({ transport });
  }

  connectionClosed(transport: string, reason: string, seconds: number): void {
    this.open.set(transport, (this.open.get(transport) ?? 1) - 1);
    this.closed.inc({ transport, reason });
    this.lifetimes.observe({ transport }, seconds);
  }

  evicted(transport: string, reason: EvictionReason): void {
    this.evictions.inc({ transport, reason });
  }

  rejected(transport: string, reason: RejectionReason): void {
    this.rejections.inc({ transport, reason });
  }

  fanOut(seconds: number): void {
    this.fanOutSeconds.observe(seconds);
  }

  /** The whole exposition, rendered now: this server's metrics, then the process's. */
  async render(): Promise<{ contentType: string; body: string }> {
    const own = await this.registry.metrics();
    const process = await processMetrics().metrics();
    return { contentType: this.registry.contentType, body: `${own}\n${process}` };
  }
}
