import type { Outgoing } from './outbox.ts';
import { HubbubError } from './protocol.ts';

/** The refusals of `POST /send` and `GET /history` by status (docs/protocol.md). */
const REASONS: Readonly<Record<number, string>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  413: 'message_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The JSON of a 200 answer; a refusal rejects with a `HubbubError` carrying the server's words. */
export const sseAnswer = async (request: Promise<Response>): Promise<unknown> => {
  const answer = await request;
  if (answer.ok) return answer.json();
  const text = (await answer.text()).trim();
  throw new HubbubError(REASONS[answer.status] ?? 'unavailable', text || answer.statusText);
};

export type PostAnswer =
  | Readonly<{ kind: 'stored'; seq: number }>
  | Readonly<{ kind: 'refused'; error: HubbubError }>
  /** Not answered (the network, or a server shutting down): to be sent again under its id. */
  | Readonly<{ kind: 'retry' }>;

/** `POST /send?room&name&id` with the text as its body: stored (the ack's seq), refused, or to retry. */
export const postSend = async (
  origin: string,
  name: string,
  outgoing: Outgoing,
): Promise<PostAnswer> => {
  const query = new URLSearchParams({ room: outgoing.room, name, id: outgoing.id });
  try {
    const ack = await sseAnswer(
      fetch(`${origin}/send?${query}`, {
        method: 'POST',
        body: outgoing.text,
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      }),
    );
    return { kind: 'stored', seq: (ack as { seq: number }).seq };
  } catch (error) {
    const refused = error instanceof HubbubError && error.reason !== 'unavailable';
    return refused ? { kind: 'refused', error } : { kind: 'retry' };
  }
};
