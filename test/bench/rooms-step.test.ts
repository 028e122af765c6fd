// The rooms scenario's generator against the real server, at a small size: it speaks hubbub.v2,
// joins every connection to its room, and counts each active room's messages at each member.
import test from 'ava';
import { runRoomsStep } from '../../bench/load/rooms-step.ts';
import { startServer } from '../support/start-server.ts';

test('every member of an active room gets every message of its sender, in order, and no one else does', async (t) => {
  const server = await startServer();
  try {
    const measured = await runRoomsStep({
      port: server.port,
      // In process: the server's CPU is this process's.
      serverPid: process.pid,
      shape: { connections: 40, roomSize: 5, activeRooms: 2 },
      messagesPerSender: 20,
      joinBatch: 7,
      warmupMs: 200,
      measureMs: 500,
      drainMs: 10_000,
    });
    t.is(measured.rooms, 8);
    t.is(measured.membersOwed, 10);
    t.is(measured.membersComplete, 10);
    t.is(measured.misrouted, 0);
    t.is(measured.disorder, 0);
    t.true(measured.step.expected > 0);
    t.is(measured.step.delivered, measured.step.expected);
    t.is(measured.step.evicted, 0);
  } finally {
    await server.stop();
  }
});
