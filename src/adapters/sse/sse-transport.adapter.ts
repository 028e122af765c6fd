import type { IncomingMessage, ServerResponse } from 'node:http';
import { inject, injectable } from 'inversify';
import type { Config } from '../../app/config.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { Transport } from '../../app/ports/transport.port.ts';
import { clientKey } from '../kit/admission.ts';
import { ConnectionSweep } from '../kit/connection-sweep.ts';
import type { HttpRoute } from '../kit/http-route.ts';
import { KIT_TOKENS } from '../kit/kit.tokens.ts';
import { KIT_SETTINGS, type OriginSettings } from '../kit/origin.settings.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';
import { RateLimitsByAddress, rateLimitOf } from '../kit/token-bucket.ts';
import type { TransportKit } from '../kit/transport-kit.ts';
import { decodeUtf8 } from '../kit/utf8.ts';
import { refusalOfSend, SendAnswer } from './send-request.ts';
import { ServerEvent } from './sse-codec.ts';
import { EVENT, SseConnection, type SseConnectionSettings } from './sse-connection.ts';

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
  private readonly settings: SseConnectionSettings;
  private readonly metrics: TransportMetrics;
  /** `POST /send` is no connection: its rate limit applies to the client address. */
  private readonly senders: RateLimitsByAddress;

  /** `GET /events`: the stream of broadcasts. */
  readonly eventsRoute: HttpRoute = {
    method: 'GET',
    path: '/events',
    handle: (request, response) => this.stream(request, response),
  };

  /** `POST /send`: publishes the body. */
  readonly sendRoute: HttpRoute = {
    method: 'POST',
    path: '/send',
    handle: (request, response) => this.receive(request, response),
  };

  constructor(
    @inject(KIT_TOKENS.TransportKit) private readonly kit: TransportKit,
    @inject(KIT_SETTINGS) private readonly config: Config & OriginSettings,
  ) {
    this.metrics = kit.metrics.forTransport(this.name);
    this.senders = new RateLimitsByAddress(rateLimitOf(config));
    this.settings = {
      ...kit.connectionSettings(this.name, config, this.connections),
      encoding: EVENT,
      lastWords: { evicted: ServerEvent.sendBufferFull, shutdown: ServerEvent.shuttingDown },
      keepaliveMs: config.pingIntervalMs,
    };
  }

  get routes(): readonly HttpRoute[] {
    return [this.eventsRoute, this.sendRoute];
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
    const address = request.socket.remoteAddress;
    const refusal = this.kit.admission.admit(this.name, request.socket);
    if (refusal !== undefined) {
      this.refuse(response, refusal.status, refusal.text, true);
      return;
    }
    // From here the place is given back when the stream closes, whatever happens. The stream
    // has its own keepalive and write deadline: the web server's idle timeout does not apply.
    request.socket.setTimeout(0);
    const connection = new SseConnection(request, response, this.settings, address);
    this.kit.join(connection, this.connections, () =>
      this.refuse(response, 503, 'server shutting down', true),
    );
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    // A page of another site could post here as its visitor, without a preflight: refused
    // (403), and so is any body but text/plain UTF-8 (415), before anything is counted or read.
    const refusal = refusalOfSend(request.headers, this.config.allowedOrigins);
    if (refusal !== undefined) {
      const { origin, host, 'sec-fetch-site': secFetchSite } = request.headers;
      this.kit.admission.rejected(this.name, refusal.reason, {
        remote: peerAddress(request.socket),
        ...(refusal.status === 403
          ? { origin, host, secFetchSite }
          : { contentType: request.headers['content-type'] }),
      });
      this.refuse(response, refusal.status, refusal.text, true);
      request.resume();
      return;
    }
    const address = clientKey(request.socket.remoteAddress ?? 'unknown');
    // The address's own limit (`--rate-limit`, as for one connection), then its budget across
    // every connection and request it has (`--rate-limit-per-ip`).
    if (
      !this.senders.take(address, performance.now()) ||
      !this.kit.withinAddressBudget(request.socket.remoteAddress)
    ) {
      this.kit.admission.rejected(this.name, 'rate_limited', {
        remote: peerAddress(request.socket),
      });
      this.refuse(response, 429, 'rate limit exceeded: too many messages', true);
      request.resume();
      return;
    }
    const limit = this.config.maxMessageBytes;
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      this.tooLarge(request, response);
      return;
    }
    const chunks: Buffer[] = [];
    let bytes = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      bytes += chunk.length;
      if (bytes > limit) {
        refused = true;
        chunks.length = 0;
        this.tooLarge(request, response);
        return;
      }
      chunks.push(chunk);
    });
    request.on('error', () => response.destroy());
    request.on('end', () => {
      if (refused) return;
      // Strict: the text is the bytes sent, so its length is the one counted above.
      const text = decodeUtf8(Buffer.concat(chunks, bytes));
      if (text === undefined) {
        this.kit.admission.rejected(this.name, 'bad_request', {
          remote: peerAddress(request.socket),
          error: SendAnswer.notUtf8,
        });
        this.refuse(response, 400, SendAnswer.notUtf8, true);
        return;
      }
      const result = this.kit.hub.publish(text);
      switch (result) {
        case 'published':
          this.metrics.received(bytes);
          response.writeHead(204, SECURITY_HEADERS).end();
          return;
        case 'too-large':
          this.tooLarge(request, response);
          return;
        case 'closed':
          this.refuse(response, 503, 'server shutting down', true);
          return;
        default: {
          const unknown: never = result;
          throw new Error(`unknown publish result ${String(unknown)}`);
        }
      }
    });
  }

  /** The 413 of this transport; the rest of the body is discarded, not kept. */
  private tooLarge(request: IncomingMessage, response: ServerResponse): void {
    this.kit.admission.rejected(this.name, 'message_too_large', {
      remote: peerAddress(request.socket),
    });
    this.refuse(response, 413, SendAnswer.tooLarge, true);
    request.resume();
  }

  private refuse(response: ServerResponse, status: number, text: string, close = false): void {
    if (response.headersSent) return;
    response.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      ...(close ? { Connection: 'close' } : {}),
    });
    response.end(text);
  }
}
