import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../../app/config.ts';
import type { TransportMetrics } from '../../app/ports/metrics.port.ts';
import type { PostResult } from '../../app/rooms/room-results.ts';
import { clientKey } from '../kit/admission.ts';
import type { HttpRoute } from '../kit/http-route.ts';
import type { OriginSettings } from '../kit/origin.settings.ts';
import { peerAddress } from '../kit/peer-address.ts';
import { SECURITY_HEADERS } from '../kit/security-headers.ts';
import { RateLimitsByAddress, rateLimitOf } from '../kit/token-bucket.ts';
import type { TransportKit } from '../kit/transport-kit.ts';
import { decodeUtf8 } from '../kit/utf8.ts';
import { answerPlain } from './plain-answer.ts';
import { type SendQuery, sendQueryOf } from './send-query.ts';
import { refusalOfSend, SendAnswer } from './send-request.ts';

/**
 * `POST /send`: publishes its body, a text/plain UTF-8 message, unless it comes from another
 * site's page (403), is of another type (415), is over a rate limit (429), too large (413) or
 * not valid UTF-8 (400).
 */
export class SendRoute implements HttpRoute {
  readonly method = 'POST';
  readonly path = '/send';
  /** `POST /send` is no connection: its own rate limit applies to the client address. */
  private readonly senders: RateLimitsByAddress;

  constructor(
    private readonly transport: string,
    private readonly kit: TransportKit,
    private readonly config: Pick<
      Config & OriginSettings,
      'allowedOrigins' | 'maxMessageBytes' | 'rateLimit' | 'rateLimitBurst'
    >,
    private readonly metrics: TransportMetrics,
  ) {
    this.senders = new RateLimitsByAddress(rateLimitOf(config));
  }

  handle(request: IncomingMessage, response: ServerResponse): void {
    this.receive(request, response);
  }

  private receive(request: IncomingMessage, response: ServerResponse): void {
    // A page of another site could post here as its visitor, without a preflight: refused
    // (403), and so is any body but text/plain UTF-8 (415), before anything is counted or read.
    const refusal = refusalOfSend(request.headers, this.config.allowedOrigins);
    if (refusal !== undefined) {
      const { origin, host, 'sec-fetch-site': secFetchSite } = request.headers;
      this.kit.admission.rejected(this.transport, refusal.reason, {
        remote: peerAddress(request.socket),
        ...(refusal.status === 403
          ? { origin, host, secFetchSite }
          : { contentType: request.headers['content-type'] }),
      });
      this.refuse(response, refusal.status, refusal.text, true);
      request.resume();
      return;
    }
    const query = sendQueryOf(request.url);
    if (typeof query === 'string') {
      this.kit.admission.rejected(this.transport, 'bad_request', {
        remote: peerAddress(request.socket),
        error: query,
      });
      this.refuse(response, 400, query, true);
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
      this.kit.admission.rejected(this.transport, 'rate_limited', {
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
        this.kit.admission.rejected(this.transport, 'bad_request', {
          remote: peerAddress(request.socket),
          error: SendAnswer.notUtf8,
        });
        this.refuse(response, 400, SendAnswer.notUtf8, true);
        return;
      }
      this.kit.hub
        .post({ ...query, text })
        .then((result) => {
          if (result.kind === 'stored') this.metrics.received(bytes);
          this.answer(request, response, query, result);
        })
        .catch((error: unknown) => {
          this.kit.logger.error('POST /send failed', { error: String(error) });
          answerPlain(response, 500, 'internal error', true);
        });
    });
  }

  /** 204, or with `?id` the hubbub.v2 `ack` (a retry gets the first one's seq); or why not. */
  private answer(
    request: IncomingMessage,
    response: ServerResponse,
    query: SendQuery,
    result: PostResult,
  ): void {
    if (result.kind === 'stored') {
      if (query.id === undefined) {
        response.writeHead(204, SECURITY_HEADERS).end();
        return;
      }
      const ack = { type: 'ack', id: query.id, room: query.room, seq: result.seq };
      response
        .writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json' })
        .end(JSON.stringify(ack));
      return;
    }
    switch (result.reason) {
      case 'message_too_large':
        this.tooLarge(request, response);
        return;
      case 'closed':
        this.refuse(response, 503, 'server shutting down', true);
        return;
      case 'unavailable':
        this.refuse(response, 503, 'unavailable: the message was not stored');
        return;
      case 'bad_room':
      case 'not_joined':
      case 'too_many_rooms':
        this.refuse(response, 400, `refused: ${result.reason}`);
        return;
      default: {
        const unknown: never = result.reason;
        throw new Error(`unknown post refusal ${String(unknown)}`);
      }
    }
  }

  /** The 413 of this transport; the rest of the body is discarded, not kept. */
  private tooLarge(request: IncomingMessage, response: ServerResponse): void {
    this.kit.admission.rejected(this.transport, 'message_too_large', {
      remote: peerAddress(request.socket),
    });
    this.refuse(response, 413, SendAnswer.tooLarge, true);
    request.resume();
  }

  private refuse(response: ServerResponse, status: number, text: string, close = false): void {
    answerPlain(response, status, text, close);
  }
}
