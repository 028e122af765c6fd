// `npm run bench:core`: how fast the pure core applies events, and whether the cost of one
// event grows with the number of registered connections (it should not, beyond the fan-out).
import { performance } from 'node:perf_hooks';
import {
  type ConnectionState,
  decide,
  evolve,
  type HubCommand,
  type HubState,
  initialState,
} from '../src/domain/index.ts';
import { PersistentMap } from '../src/lib/persistent-map.ts';

const CONNECTIONS = [10, 1_000, 10_000] as const;
const CAPACITY = 256;
/** Bounded: each measurement stops at this many events or this many milliseconds. */
const MAX_EVENTS = 2_000_000;
const MAX_MS = 3_000;

const execute = (state: HubState, command: HubCommand): [HubState, number] => {
  const events = decide(state, command);
  let next = state;
  for (const event of events) next = evolve(next, event);
  return [next, events.length];
};

const registered = (count: number): { state: HubState; ids: string[] } => {
  let state = initialState(CAPACITY, PersistentMap.empty<ConnectionState>());
  const ids = Array.from({ length: count }, (_, i) => `c${i + 1}`);
  for (const connectionId of ids) {
    [state] = execute(state, { type: 'Register', connectionId, at: 0 });
  }
  return { state, ids };
};

/**
 * The steady state of a busy room: a broadcast, then every connection acknowledging it, as the
 * ws transport does when its readers keep up. Counts every event applied (the Broadcast and the
 * Acknowledged per connection); the work per broadcast is one event per connection, the fan-out.
 */
const chatRoom = (count: number): { events: number; ms: number } => {
  let { state, ids } = registered(count);
  let events = 0;
  const started = performance.now();
  let seq = 0;
  while (events < MAX_EVENTS && performance.now() - started < MAX_MS) {
    seq += 1;
    let applied: number;
    [state, applied] = execute(state, { type: 'Publish', seq, text: 'hello', at: seq });
    events += applied;
    for (const connectionId of ids) {
      [state, applied] = execute(state, { type: 'Acknowledge', connectionId, upTo: seq, at: seq });
      events += applied;
    }
  }
  return { events, ms: performance.now() - started };
};

/** Acknowledgements alone, round robin: the per-event cost of touching one connection. */
const acknowledgements = (count: number): { events: number; ms: number } => {
  let { state, ids } = registered(count);
  [state] = execute(state, { type: 'Publish', seq: 1, text: 'x', at: 0 });
  [state] = execute(state, { type: 'Publish', seq: 2, text: 'x', at: 0 });
  let events = 0;
  const started = performance.now();
  for (let round = 0; events < MAX_EVENTS && performance.now() - started < MAX_MS; round++) {
    const upTo = 1 + (round % 2); // alternates so every acknowledgement is a real event
    if (upTo === 1)
      [state] = execute(state, { type: 'Publish', seq: state.head + 1, text: 'x', at: 0 });
    for (let i = 0; i < ids.length && events < MAX_EVENTS; i++) {
      const connectionId = ids[i] as string;
      const cursor = state.connections.get(connectionId)?.cursor ?? 0;
      if (cursor >= state.head) continue;
      let applied: number;
      [state, applied] = execute(state, {
        type: 'Acknowledge',
        connectionId,
        upTo: state.head,
        at: 0,
      });
      events += applied;
    }
  }
  return { events, ms: performance.now() - started };
};

const rate = ({ events, ms }: { events: number; ms: number }): string =>
  `${Math.round((events / ms) * 1000).toLocaleString('en-US')}`;

const rows = CONNECTIONS.map((count) => {
  chatRoom(count); // warm up the JIT on this size
  return { count, room: rate(chatRoom(count)), acks: rate(acknowledgements(count)) };
});

console.log(
  '| connections | chat room: events/s (broadcast + every ack) | acknowledgements alone: events/s |',
);
console.log('| ---: | ---: | ---: |');
for (const { count, room, acks } of rows)
  console.log(`| ${count.toLocaleString('en-US')} | ${room} | ${acks} |`);
