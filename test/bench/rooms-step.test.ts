// The rooms scenario's generator against the real server, at a small size: it speaks hubbub.v2,
// joins every connection to its room, and counts each active room's messages at each member.
import test from 'ava';
import { runRoomsStep } from '../../bench/load/rooms-step.ts';
import { startServer } from '../support/start-server.ts';
import { assertEveryMemberServed } from './support/every-member.ts';

test('every member of an active room gets every message of its sender, in order, and no one else does', async (t) => {
  const server = await startServer();
  try {
    const measured = await runRoomsStep({
      ports: [server.port],
      // In process: the server's CPU is this process's.
      serverPids: [process.pid],
      shape: { connections: 40, roomSize: 5, activeRooms: 2 },
      messagesPerSender: 20,
      joinBatch: 7,
      warmupMs: 200,
      measureMs: 500,
      drainMs: 10_000,
    });
    t.is(measured.rooms, 8);
    assertEveryMemberServed(t, measured, 10);
  } finally {
    await server.stop();
  }
});
