import assert from 'node:assert/strict';
import type { ConnectionId, Seq } from '../../src/domain/index.ts';
import { stateBefore, type Trace } from './arbitraries.ts';

/** What one registration of a connection received: from its Registered until its Unregistered. */
type Session = { connectionId: ConnectionId; cursor: Seq; delivered: Seq[]; acked: Seq };

const assertContiguousFrom = (session: Session, head: Seq): void => {
  const { connectionId, cursor, delivered } = session;
  const expected = Array.from({ length: head - cursor }, (_, i) => cursor + 1 + i);
  assert.deepEqual(
    delivered,
    expected,
    `${connectionId} (cursor ${cursor}) should have received ${cursor + 1}..${head} in order`,
  );
};

/**
 * Plays the trace to a client per connection: every Broadcast is delivered to every connection
 * registered when it is made (after the evictions that precede it); acknowledgements come from
 * the trace (random, as generated). Asserts that each registration receives exactly the seqs
 * cursor+1 .. head-at-departure, in order, with no gap and no duplicate, and only ever
 * acknowledges a seq it has received.
 */
export const assertInOrderDelivery = (trace: Trace): void => {
  const open = new Map<ConnectionId, Session>();
  trace.events.forEach((event, i) => {
    const before = stateBefore(trace, i);
    switch (event.type) {
      case 'Registered':
        assert.ok(!open.has(event.connectionId), `${event.connectionId} registered twice`);
        open.set(event.connectionId, {
          connectionId: event.connectionId,
          cursor: event.cursor,
          delivered: [],
          acked: event.cursor,
        });
        return;
      case 'Broadcast':
        for (const connectionId of before.connections.keys()) {
          const session = open.get(connectionId);
          assert.ok(session, `broadcast ${event.seq} reached ${connectionId} with no session`);
          session.delivered.push(event.seq);
        }
        return;
      case 'Acknowledged': {
        const session = open.get(event.connectionId);
        assert.ok(session, `${event.connectionId} acknowledged without a session`);
        assert.ok(event.upTo > session.acked, `${event.connectionId} acknowledged backwards`);
        assert.ok(session.delivered.includes(event.upTo), `${event.connectionId} acked unseen`);
        session.acked = event.upTo;
        return;
      }
      case 'Unregistered': {
        const session = open.get(event.connectionId);
        assert.ok(session, `${event.connectionId} left without a session`);
        assertContiguousFrom(session, before.head);
        open.delete(event.connectionId);
        return;
      }
      case 'Overflowed':
        return;
    }
  });
  for (const session of open.values()) assertContiguousFrom(session, trace.final.head);
};
