import test from 'ava';
import fc from 'fast-check';
import { drive, scenario } from './arbitraries.ts';

// Guards the invariant properties against passing vacuously: the generated scenarios must keep
// reaching the cases the properties are about. Fixed seed, so this is deterministic.
test('generated scenarios reach overflows, stale and stranger acks, redeliveries, returns', (t) => {
  const seen = { overflow: 0, ack: 0, staleAck: 0, strangerAck: 0, redelivery: 0, comeback: 0 };
  for (const s of fc.sample(scenario, { numRuns: 500, seed: 20_240_601 })) {
    const { steps } = drive(s);
    const left = new Set<string>();
    for (const { command, before, events } of steps) {
      for (const event of events) {
        if (event.type === 'Overflowed') seen.overflow += 1;
        if (event.type === 'Unregistered') left.add(event.connectionId);
        if (event.type === 'Registered' && left.has(event.connectionId)) seen.comeback += 1;
      }
      if (command.type === 'Publish' && command.seq <= before.head) seen.redelivery += 1;
      if (command.type !== 'Acknowledge') continue;
      if (!before.connections.has(command.connectionId)) seen.strangerAck += 1;
      else if (events.length === 0) seen.staleAck += 1;
      else seen.ack += 1;
    }
  }
  t.log(seen);
  for (const [label, count] of Object.entries(seen)) t.true(count >= 100, `${label}: ${count}`);
});
