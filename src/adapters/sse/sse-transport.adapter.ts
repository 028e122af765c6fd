import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import { ConnectionSweep } from '../kit/connection-sweep.ts';
import { guestName } from '../kit/guest-name.ts';
import type { HttpRoute } from '../kit/http-route.ts';
import { joinRefusalText } from '../kit/join-hub.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { KIT_SETTINGS, type OriginSettings } from '../kit/origin.settings.ts';
import { peerAddress } from '../kit/peer-address.ts';
import type { TransportKit } from '../kit/transport-kit.ts';
import { eventsQueryOf } from './events-query.ts';
import { HistoryRoute } from './history-route.ts';
import { answerPlain } from './plain-answer.ts';
import { SendRoute } from './send-route.ts';
import { ServerEvent } from './sse-codec.ts';
import { SseConnection, type SseConnectionSettings } from './sse-connection.ts';
import { TEXT_EVENT, V2_EVENT } from './sse-events.ts';

/**
 * Server-Sent Events, for networks where WebSocket is blocked: `GET /events` streams every
 * broadcast (`id:` its sequence number, `data:` its text) and `POST /send` (a text/plain UTF-8
 * body, not from another site's page) publishes. `curl -N http://localhost:8080/events` shows
 * the chat live.
 */
// No #private members: esbuild (tsx) lowers them to WeakMap lookups in decorated classes.
@injectable()
export class SseTransport implements Transport {
  readonly name = 'sse';
  private readonly connections = new ConnectionSweep();
  private started = false;
  private readonly settings: Readonly<Record<'text' | 'v2', SseConnectionSettings>>;
  private readonly metrics: TransportMetrics;

  /** `GET /events`: the stream of broadcasts. */
  readonly eventsRoute: HttpRoute = {
    method: 'GET',
    path: '/events',
    handle: (request, response) => this.stream(request, response),
  };

  /** `POST /send`: publishes the body. */
  readonly sendRoute: SendRoute;

  /** `GET /history`: a page of older messages. */
  readonly historyRoute: HistoryRoute;

  constructor(
    @inject(KIT_TOKENS.TransportKit) private readonly kit: TransportKit,
    @inject(KIT_SETTINGS) private readonly config: Config & OriginSettings,
  ) {
    this.metrics = kit.metrics.forTransport(this.name);
    this.sendRoute = new SendRoute(this.name, kit, config, this.metrics);
    this.historyRoute = new HistoryRoute(kit.hub);
    const shared = {
      ...kit.connectionSettings(this.name, config, this.connections),
      lastWords: { evicted: ServerEvent.sendBufferFull, shutdown: ServerEvent.shuttingDown },
      keepaliveMs: config.pingIntervalMs,
      maxMessageBytes: config.maxMessageBytes,
    };
    this.settings = {
      text: { ...shared, format: 'text', encoding: TEXT_EVENT },
      v2: { ...shared, format: 'v2', encoding: V2_EVENT },
    };
  }

  get routes(): readonly HttpRoute[] {
    return [this.eventsRoute, this.sendRoute, this.historyRoute];
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.connections.start(this.config.writeTimeoutMs, this.config.pingIntervalMs);
  }

  /** Waits for every stream to close (the hub's shutdown sent each a `bye`), cutting off laggards. */
  async stop(): Promise<void> {
    this.connections.stop();
    this.started = false;
    await this.connections.closeAll();
  }

  private stream(request: IncomingMessage, response: ServerResponse): void {
    // A request that arrived while an earlier response on the same socket was still being
    // written (a keep-alive client, a pipelining one) waits for its turn: until Node hands it
    // the socket it could neither be written nor see its 'close', so it takes no place yet.
    if (response.socket === null) {
      response.once('socket', () => this.stream(request, response));
      return;
    }
    const query = eventsQueryOf(request);
    if (typeof query === 'string') {
      this.kit.admission.rejected(this.name, 'bad_request', {
        remote: peerAddress(request.socket),
        error: query,
      });
      this.refuse(response, 400, query);
      return;
    }
    const address = request.socket.remoteAddress;
    const refusal = this.kit.admission.admit(this.name, request.socket);
    if (refusal !== undefined) {
      this.refuse(response, refusal.status, refusal.text, true);
      return;
    }
    // From here the place is given back when the stream closes, whatever happens. The stream
    // has its own keepalive and write deadline: the web server's idle timeout does not apply.
    request.socket.setTimeout(0);
    const { room, name = guestName(), since, history } = query;
    const settings = this.settings[query.format];
    const connection = new SseConnection(request, response, settings, address, since !== undefined);
    const members = query.format === 'v2';
    const placement = { room, name, history, members, ...(since === undefined ? {} : { since }) };
    this.kit.join(connection, placement, this.connections, (why) =>
      this.refuse(response, 503, joinRefusalText(why), true),
    );
  }

  private refuse(response: ServerResponse, status: number, text: string, close = false): void {
    answerPlain(response, status, text, close);
  }
}
