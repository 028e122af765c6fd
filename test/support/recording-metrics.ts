import type { Metrics, TransportMetrics } from '../../src/app/ports/metrics.port.ts';

/** Writes down every call to the Metrics port, as [method, ...arguments], in order. */
export class RecordingMetrics implements Metrics {
  readonly calls: unknown[][] = [];
  forTransport(transport: string): TransportMetrics {
    return {
      received: (bytes) => this.calls.push(['received', transport, bytes]),
      delivered: (messages, bytes) => this.calls.push(['delivered', transport, messages, bytes]),
    };
  }
  connectionOpened(transport: string): void {
    this.calls.push(['connectionOpened', transport]);
  }
  connectionClosed(transport: string, reason: string, seconds: number): void {
    this.calls.push(['connectionClosed', transport, reason, seconds]);
  }
  evicted(transport: string, reason: string): void {
    this.calls.push(['evicted', transport, reason]);
  }
  rejected(transport: string, reason: string): void {
    this.calls.push(['rejected', transport, reason]);
  }
  fanOut(seconds: number): void {
    this.calls.push(['fanOut', seconds]);
  }
}
