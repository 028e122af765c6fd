import test from 'ava';
import { waitUntil } from '../adapters/support/ws-client.ts';
import type { RecordedEvent as HubEvent } from '../support/start-server.ts';

/** How a client's session ended, in the transport's own terms mapped to the contract's. */
export type ContractEnd = 'left' | 'too-large' | 'shutdown' | 'overflowed' | 'other';

/** One client of the transport under test. */
export interface ContractClient {
  /** The hub's id for this connection. */
  readonly id: string;
  /** Chat messages received, in order. */
  readonly messages: readonly string[];
  send(text: string): void;
  /** Stops reading (the transport's equivalent of a reader that does not keep up). */
  stall(): void;
  leave(): Promise<void>;
  /** Resolves with how the session ended. */
  ended(): Promise<ContractEnd>;
}

export interface ContractServer {
  /** Every hub event so far, in order. */
  readonly events: readonly HubEvent[];
  connect(): Promise<ContractClient>;
  stop(): Promise<void>;
}

export type ContractSettings = Readonly<{ sendBuffer: number; maxMessageBytes: number }>;
export type ContractFactory = (settings: ContractSettings) => Promise<ContractServer>;

const SETTINGS: ContractSettings = { sendBuffer: 32, maxMessageBytes: 4096 };
/** Bounds for the stalled-reader test: kernel buffers may absorb megabytes before a stall shows. */
const STALL_MAX_MESSAGES = 20_000;
const STALL_ROUND = 20;

const received = (client: ContractClient, count: number): Promise<readonly string[]> =>
  waitUntil(
    () => (client.messages.length >= count ? client.messages : undefined),
    () => `${count} messages (have ${client.messages.length})`,
  );

/**
 * The contract every transport passes, unchanged: register it from a test file of the
 * transport with a factory that starts a hub reachable through that transport.
 */
export const transportContract = (transport: string, start: ContractFactory): void => {
  const server = async (t: { teardown(fn: () => Promise<void>): void }) => {
    const running = await start(SETTINGS);
    t.teardown(() => running.stop());
    return running;
  };

  test(`${transport}: every message reaches every client, the sender included, in order`, async (t) => {
    const running = await server(t);
    const clients = [await running.connect(), await running.connect(), await running.connect()];
    for (let i = 0; i < 5; i++)
      for (const [n, client] of clients.entries()) client.send(`${n}:${i}`);
    const expected = (await received(clients[0] as ContractClient, 15)).slice(0, 15);
    for (const client of clients) t.deepEqual((await received(client, 15)).slice(0, 15), expected);
    for (const n of [0, 1, 2]) {
      t.deepEqual(
        expected.filter((text) => text.startsWith(`${n}:`)),
        [0, 1, 2, 3, 4].map((i) => `${n}:${i}`),
      );
    }
  });

  test(`${transport}: a client receives only what was broadcast after it joined`, async (t) => {
    const running = await server(t);
    const early = await running.connect();
    early.send('before');
    await received(early, 1);
    const late = await running.connect();
    early.send('after');
    await received(early, 2);
    t.deepEqual(await received(late, 1), ['after']);
  });

  test(`${transport}: a client that leaves is unregistered; the others carry on`, async (t) => {
    const running = await server(t);
    const [stays, goes] = [await running.connect(), await running.connect()];
    await goes.leave();
    t.is(await goes.ended(), 'left');
    await waitUntil(
      () => running.events.some((e) => e.type === 'Unregistered' && e.connectionId === goes.id),
      'the departure',
    );
    stays.send('still here');
    t.deepEqual(await received(stays, 1), ['still here']);
  });

  test(`${transport}: oversized input is refused and ends only its sender`, async (t) => {
    const running = await server(t);
    const [loud, quiet] = [await running.connect(), await running.connect()];
    loud.send('x'.repeat(SETTINGS.maxMessageBytes + 1));
    t.is(await loud.ended(), 'too-large');
    quiet.send('fine');
    t.deepEqual(await received(quiet, 1), ['fine']);
    t.false(
      running.events.some(
        (e) => e.type === 'Broadcast' && e.text.length > SETTINGS.maxMessageBytes,
      ),
    );
  });

  test(`${transport}: a stalled reader is evicted at the send-buffer limit; the others get everything in order`, async (t) => {
    const running = await server(t);
    const sender = await running.connect();
    const reader = await running.connect();
    const stalled = await running.connect();
    stalled.stall();
    const body = 'm'.repeat(SETTINGS.maxMessageBytes - 16);
    const evicted = () =>
      running.events.some((e) => e.type === 'Overflowed' && e.connectionId === stalled.id);
    let sent = 0;
    while (!evicted() && sent < STALL_MAX_MESSAGES) {
      for (let i = 0; i < STALL_ROUND; i++) sender.send(`${sent++} ${body}`);
      await received(reader, sent); // pace on a reader that keeps up
    }
    t.true(evicted(), `evicted after ${sent} messages`);
    const events = running.events;
    const overflow = events.findIndex(
      (e) => e.type === 'Overflowed' && e.connectionId === stalled.id,
    );
    t.like(events[overflow + 1], {
      type: 'Unregistered',
      connectionId: stalled.id,
      reason: 'send_buffer_full',
    });
    t.like(events[overflow], { pending: SETTINGS.sendBuffer, capacity: SETTINGS.sendBuffer });
    t.deepEqual(
      (await received(reader, sent)).map((text) => Number(text.split(' ')[0])),
      Array.from({ length: sent }, (_, i) => i),
    );
  });

  test(`${transport}: shutdown ends every session cleanly`, async (t) => {
    const running = await start(SETTINGS);
    const clients = [await running.connect(), await running.connect()];
    await running.stop();
    t.deepEqual(await Promise.all(clients.map((client) => client.ended())), [
      'shutdown',
      'shutdown',
    ]);
  });
};
