import type { TransportMetrics } from '../../app/ports/metrics.port.ts';

/** Plain numbers a transport bumps on every message; read only when /metrics is scraped. */
export class TransportCounters implements TransportMetrics {
  messagesReceived = 0;
  bytesReceived = 0;
  messagesDelivered = 0;
  bytesDelivered = 0;

  received(bytes: number): void {
    this.messagesReceived += 1;
    this.bytesReceived += bytes;
  }

  delivered(messages: number, bytes: number): void {
    this.messagesDelivered += messages;
    this.bytesDelivered += bytes;
  }
}
