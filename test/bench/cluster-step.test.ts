// The cluster scenario's generator against two real nodes on the bench's own private Redis, at a
// small size: the members of each room split between the nodes, every message crossing Redis to
// the other one, and Redis's CPU read from INFO around the window.
import test from 'ava';
import { runRoomsStep } from '../../bench/load/rooms-step.ts';
import { infoCpuUs, startBenchRedis } from '../../bench/redis-server.ts';
import { redisTestSerial } from '../support/redis-server.ts';
import { startServer } from '../support/start-server.ts';
import { assertEveryMemberServed } from './support/every-member.ts';

test('INFO cpu is read as user plus system time, in µs', (t) => {
  const info =
    '# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.500001\r\nused_cpu_sys_children:9.0\r\n';
  t.is(infoCpuUs(info), 1_750_001);
  t.throws(() => infoCpuUs('# CPU\r\nused_cpu_sys:1.0\r\n'), { message: /used_cpu_user/ });
});

redisTestSerial(
  'members split over two nodes on Redis get every message of their room once, in order',
  async (t) => {
    const redis = await startBenchRedis({ cpu: undefined, fileLimit: 1_024 });
    t.regex(
      redis.command,
      /redis-server --port \d+ --bind 127\.0\.0\.1 --save '' --appendonly no$/,
    );
    const nodes = [
      await startServer({ redisUrl: redis.url }),
      await startServer({ redisUrl: redis.url }),
    ];
    try {
      const measured = await runRoomsStep({
        ports: nodes.map((node) => node.port),
        // In process: both nodes' CPU is this process's, counted once.
        serverPids: [process.pid],
        store: { pid: redis.pid, cpuUs: redis.cpuUs },
        shape: { connections: 40, roomSize: 4, activeRooms: 2 },
        messagesPerSender: 20,
        joinBatch: 7,
        warmupMs: 200,
        measureMs: 500,
        drainMs: 10_000,
      });
      assertEveryMemberServed(t, measured, 8);
      t.true(measured.published > 0);
      t.true((measured.storeCpu?.us ?? -1) >= 0);
      // Each node had members of both active rooms, and each room's messages reached both.
      for (const node of nodes) {
        const rooms = node.events.filter((event) => event.type === 'Broadcast').map((e) => e.room);
        t.deepEqual(new Set(rooms), new Set(['active-0', 'active-1']));
      }
    } finally {
      await Promise.all(nodes.map((node) => node.stop()));
      await redis.stop();
    }
  },
);
