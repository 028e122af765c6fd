import test from 'ava';
import type { Hub } from '../../../src/app/ports/transport.port.ts';
import type { RoomsHub } from '../../../src/app/rooms/rooms-hub.ts';
import { TOKENS } from '../../../src/app/tokens.ts';
import { createContainer, defaultSettings } from '../../../src/composition-root.ts';
import { pendingIn } from '../../../src/domain/rooms/index.ts';
import { ControlledEngine } from '../../support/controlled-engine.ts';
import { RecordingLogger } from '../../support/recording-logger.ts';
import { FakeConnection, fakeSettings, linesOf } from './support/fake-connection.ts';

test('a renumbered room restarts delivery: what was written stays, what was not yet taken of the old numbering is dropped, the notice, then the new numbering from seq 1, acknowledged in it', async (t) => {
  const engine = new ControlledEngine();
  const container = createContainer(defaultSettings({ sendBuffer: 8 }), {
    logger: new RecordingLogger(),
  });
  container.rebind(TOKENS.Engine).toConstantValue(engine);
  const hub = container.get<RoomsHub>(TOKENS.RoomsHub);
  const gateway = container.get<Hub>(TOKENS.Hub);
  const settings = fakeSettings({ sendBuffer: 8, highWaterBytes: 1_024 });
  const connection = new FakeConnection(settings, 'ann');
  connection.attach(await gateway.connect(connection, { room: 'lobby', name: 'ann' }));
  const publish = (text: string) => hub.post('lobby', 'test', text);
  for (const text of ['m1', 'm2', 'm3']) await publish(text);
  settings.batch.close();
  await publish('m4'); // waits for the window: not taken
  engine.lose('lobby');
  await publish('n1');
  const epoch = hub.feedOf('lobby')?.epoch;
  await publish('n2');
  settings.batch.close();
  t.deepEqual(linesOf(connection.socket), ['m1', 'm2', 'm3', `reset ${epoch}`, 'n1', 'n2']);
  // Two taken at once are acknowledged: nothing is pending for it in the new numbering.
  t.is(hub.state.connections.get(connection.id ?? '')?.cursors.get('lobby'), 2);
  t.is(pendingIn(hub.state, connection.id ?? ''), 0);
  await publish('n3');
  settings.batch.close();
  t.deepEqual(linesOf(connection.socket).slice(-1), ['n3']);
});
