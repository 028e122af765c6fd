import type { ExecutionContext } from 'ava';
import { WebSocket } from 'ws';
import type { WebSocketConstructor } from '../../../src/client/index.ts';
import { V2TestClient } from '../../adapters/support/v2-client.ts';
import { sleep, waitUntil } from '../../adapters/support/ws-client.ts';
import type { ClusterNode } from './cluster.ts';

/** A message as a member saw it. */
export type Seen = Readonly<{ epoch: string; seq: number; text: string }>;

/** A hubbub.v2 client named `name` on `node`, closed when the test ends. */
export const openV2 = async (
  t: ExecutionContext,
  node: ClusterNode,
  name: string,
): Promise<V2TestClient> => {
  const client = await V2TestClient.open(node.wsUrl, `?name=${encodeURIComponent(name)}`);
  t.teardown(() => client.close());
  return client;
};

/** Every message of `room` the client got, as it got them: each `joined`'s messages, then live. */
export const seenIn = (client: V2TestClient, room: string): Seen[] =>
  client.items.flatMap((item) => {
    if (item.room !== room) return [];
    if (item.type === 'message') return [seen(item)];
    if (item.type === 'joined') return (item.messages as Record<string, unknown>[]).map(seen);
    return [];
  });

const seen = (item: Record<string, unknown>): Seen => ({
  epoch: String(item.epoch),
  seq: Number(item.seq),
  text: String(item.text),
});

/** `[seq, text]` of each message: what the tests compare between members. */
export const numbering = (messages: readonly Pick<Seen, 'seq' | 'text'>[]): [number, string][] =>
  messages.map(({ seq, text }) => [seq, text]);

/** `prefix1` … `prefixN`. */
export const texts = (prefix: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`);

/** Waits until `client` got a message of `room` with `text` (in `joined` or live). */
export const waitForText = (
  client: V2TestClient,
  room: string,
  text: string,
  who: string,
  timeoutMs?: number,
): Promise<true> =>
  waitUntil(
    () => seenIn(client, room).some((message) => message.text === text),
    () => `${who} to get "${text}" in ${room} (has ${seenIn(client, room).length} messages)`,
    timeoutMs,
  );

/** Waits for the `ack` of the send with client id `id`; a refusal of it fails at once. */
export const ackOf = (client: V2TestClient, id: string, timeoutMs?: number): Promise<number> =>
  waitUntil(
    () => {
      const refused = client.items.find((item) => item.type === 'error' && item.id === id);
      if (refused !== undefined) throw new Error(`send ${id} refused: ${JSON.stringify(refused)}`);
      const ack = client.items.find((item) => item.type === 'ack' && item.id === id);
      return ack === undefined ? undefined : Number(ack.seq);
    },
    `the ack of send ${id}`,
    timeoutMs,
  );

/**
 * Sends `text` to `room` with the text as its client id until it is acknowledged: a send
 * refused `unavailable` (the node could not reach Redis) is sent again under the same id, at
 * most `tries` times. Resolves with the seq and how many times it was refused.
 */
export const sendUntilAcked = async (
  client: V2TestClient,
  room: string,
  text: string,
  tries = 100,
): Promise<{ seq: number; refused: number }> => {
  for (let refused = 0; refused < tries; refused++) {
    const from = client.items.length;
    client.command({ type: 'send', room, text, id: text });
    const answer = await waitUntil(
      () =>
        client.items
          .slice(from)
          .find((item) => (item.type === 'ack' || item.type === 'error') && item.id === text),
      `an answer to send ${text}`,
    );
    if (answer.type === 'ack') return { seq: Number(answer.seq), refused };
    if (answer.reason !== 'unavailable') throw new Error(`send ${text}: ${JSON.stringify(answer)}`);
    await sleep(10);
  }
  throw new Error(`send ${text} refused ${tries} times`);
};

export type SendAllOptions = Readonly<{
  /** Sends on the wire not yet acknowledged, at most (default 4). */
  window?: number;
  /** Called with the 1-based count of sends acknowledged so far, after each ack. */
  acked?: (count: number) => void;
}>;

/**
 * Sends each text to `room` with the text as its client id, keeping at most `window` sends
 * unacknowledged; resolves with the seq each was acknowledged with, in order.
 */
export const sendAll = async (
  client: V2TestClient,
  room: string,
  all: readonly string[],
  options: SendAllOptions = {},
): Promise<number[]> => {
  const window = options.window ?? 4;
  const seqs: number[] = [];
  const acknowledge = async (index: number) => {
    seqs.push(await ackOf(client, all[index] as string));
    options.acked?.(seqs.length);
  };
  for (const [index, text] of all.entries()) {
    if (index >= window) await acknowledge(index - window);
    client.command({ type: 'send', room, text, id: text });
  }
  for (let index = Math.max(0, all.length - window); index < all.length; index++) {
    await acknowledge(index);
  }
  return seqs;
};

/**
 * A stand-in for a load balancer in front of the nodes, for the client library: every
 * connection it makes goes to `target`, whatever URL it was given; a test moves `target` when
 * it takes a node out.
 */
export class Balancer {
  constructor(public target: ClusterNode) {}

  get WebSocket(): WebSocketConstructor {
    const balancer = this;
    class Balanced extends WebSocket {
      constructor(url: string, protocols: string[]) {
        const routed = new URL(url);
        routed.port = String(balancer.target.port);
        super(routed.toString(), protocols);
      }
    }
    return Balanced as unknown as WebSocketConstructor;
  }
}
