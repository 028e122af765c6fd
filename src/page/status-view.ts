import type { ChatClient, ConnectionState } from '../client/index.ts';

export type Transport = 'websocket' | 'sse';

const VIA: Record<Transport, string> = {
  websocket: 'WebSocket',
  sse: 'Server-Sent Events',
};

/**
 * The connection as it is: "Connected via WebSocket" (or Server-Sent Events), "Connecting…",
 * "Reconnecting in N s" counting down to the next attempt, or "Offline" while the browser
 * has no network (it then reconnects as soon as the network is back).
 */
export class StatusView {
  private client: ChatClient | undefined;
  private transport: Transport = 'websocket';
  private unwatch: (() => void) | undefined;
  private retryAt = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly status: HTMLElement) {
    window.addEventListener('online', () => {
      this.client?.reconnect();
      this.render();
    });
    window.addEventListener('offline', () => this.render());
  }

  /** Follows `client`, over `transport`, from now on. */
  watch(client: ChatClient, transport: Transport): void {
    this.unwatch?.();
    this.client = client;
    this.transport = transport;
    this.unwatch = client.on('state', (state, retryInMs) => {
      if (state === 'reconnecting') this.retryAt = Date.now() + (retryInMs ?? 0);
      this.render();
    });
    this.render();
  }

  unsupported(): void {
    this.show('unsupported', 'Not connected');
  }

  private render(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
    const state: ConnectionState = this.client?.state ?? 'connecting';
    this.status.dataset.transport = this.transport;
    if (state === 'connected') this.show('connected', `Connected via ${VIA[this.transport]}`);
    else if (!navigator.onLine || state === 'closed') this.show('offline', 'Offline');
    else if (state === 'connecting') this.show('connecting', 'Connecting…');
    else {
      this.countDown();
      this.ticker = setInterval(() => this.countDown(), 250);
    }
  }

  private countDown(): void {
    const seconds = Math.max(1, Math.ceil((this.retryAt - Date.now()) / 1000));
    this.show('reconnecting', `Reconnecting in ${seconds} s`);
  }

  private show(state: string, text: string): void {
    this.status.dataset.state = state;
    document.body.dataset.connection = state;
    if (this.status.textContent !== text) this.status.textContent = text;
  }
}
