// The cluster section of docs/benchmarks.md: how the scenario runs, its figures and its goals.
import { clusterTable, clusterTargetTable } from './cluster-report.ts';
import { rate, thousands } from './format.ts';
import type { ClusterResult } from './results.ts';
import { CLUSTER, ROOMS, roomsServerFlags, roomsShapes } from './scenarios.ts';

const method = (cluster: ClusterResult | undefined): string => {
  const scale = cluster?.scale ?? CLUSTER.scale;
  const shape = cluster?.shape ?? roomsShapes(scale).wide;
  const deliveries = shape.activeRooms * ROOMS.messagesPerSender * shape.roomSize;
  const { warmupMs, measureMs } = ROOMS.timing;
  const node =
    cluster?.commands.node ??
    `node dist/main.js ${roomsServerFlags(shape).join(' ')} --redis-url URL`;
  const redis =
    cluster?.commands.redis ?? "redis-server --port P --bind 127.0.0.1 --save '' --appendonly no";
  return `The rooms scenario's load at scale ${scale} (\`BENCH_CLUSTER_SCALE\`): ${thousands(shape.connections)} \`hubbub.v2\`
connections in ${thousands(shape.connections / shape.roomSize)} rooms of ${shape.roomSize}, ${shape.activeRooms} of them active with one sender at
${ROOMS.messagesPerSender} messages/s: ${rate(deliveries)} deliveries/s, on three setups, each run on fresh processes:

- **one node, memory engine**: the baseline, Hubbub as it runs by default;
- **one node on Redis**: the same node with \`--redis-url\`, so the cost of Redis itself shows;
- **two nodes on Redis**: two nodes on one private Redis, each connection opened to one of them
  so that the members of every room alternate between the nodes, and so do the rooms' senders:
  half the connections and half the messages on each, every message crossing Redis to both.

A node: \`${node}\`.

Redis: \`${redis}\`, started by the bench on a free port, nothing on disk.

The nodes and Redis are pinned to the servers' core and the generator to the other, as in the
other scenarios, so all the server-side work of a setup shares one core. The scale is chosen so
that two nodes and Redis fit there: on a quiet machine here, one node with the memory engine
uses about half of it, two nodes 70–80% and Redis 10–12% more; at scale 1 they would not fit.
Set-up, ${warmupMs / 1000} s of warm-up, ${measureMs / 1000} s of measurement and the drain are the rooms scenario's.
*Server CPU µs/delivery* is utime + stime from \`/proc/PID/stat\` of every node, summed, over
the deliveries received in the window; *Redis CPU µs/message* is the growth of
\`used_cpu_user + used_cpu_sys\` (\`INFO cpu\`) over the window divided by the messages published
in it (Redis CPU is also left out of *other CPU*); latency is from the sender's timestamp to
each member's receipt, in the generator. Every member of an active room must get every message
of its room exactly once, in order, and nobody else any: a run where one does not fails the
scenario (\`npm run bench\` exits with 1). ${CLUSTER.rounds} rounds, the setups taking turns; the run with
the median CPU per delivery of each is reported. Goals (issue 13): two nodes ≤ ${CLUSTER.cpuRatioGoal.toFixed(1)}× one node
with the memory engine in server CPU per delivery, p99 < ${CLUSTER.p99GoalMs} ms; Redis CPU per
message reported beside it.`;
};

export const clusterMarkdown = (cluster: ClusterResult | undefined): string =>
  `## Cluster (issue 13)

${method(cluster)}

${cluster === undefined ? 'Not run in this run (`--only`).' : `${clusterTable(cluster)}\n\n${clusterTargetTable(cluster)}`}`;
