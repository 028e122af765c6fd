// The rooms section of docs/benchmarks.md: how the scenario runs, its figures and its goals.
import { rate, thousands } from './format.ts';
import type { RoomsResult } from './results.ts';
import { roomsTable, roomsTargetTable } from './rooms-report.ts';
import {
  CLEAN_P99_MS,
  ROOMS,
  ROOMS_CPU_RATIO_GOAL,
  roomsServerFlags,
  roomsShapes,
} from './scenarios.ts';

const method = (rooms: RoomsResult | undefined): string => {
  const { wide, narrow } = roomsShapes(rooms?.scale ?? 1);
  const deliveries = wide.activeRooms * ROOMS.messagesPerSender * ROOMS.roomSize;
  const { warmupMs, measureMs, drainMs } = ROOMS.timing;
  return `\`hubbub.v2\` connections, each in one room of ${ROOMS.roomSize} (a \`join\` command):
${thousands(wide.connections)} connections in ${thousands(wide.connections / ROOMS.roomSize)} rooms of which ${wide.activeRooms} are
active, against the ${thousands(narrow.connections)} connections of those ${narrow.activeRooms} rooms alone. Each active room
has one sender (\`send\`, ${ROOMS.messagesPerSender} messages/s) and every member receives each message, the sender
too: ${rate(deliveries)} deliveries/s in both, so only the idle rooms and connections differ. Each run
is on a fresh server with the same limits, raised just past what the scenario needs (the
defaults would refuse it): \`${roomsServerFlags(wide).join(' ')}\`. Connections open 200 handshakes at a time
and join ${ROOMS.joinBatch} at a time, each \`joined\` awaited; once the server's CPU has settled, ${warmupMs / 1000} s of
warm-up, ${measureMs / 1000} s of measurement and up to ${drainMs / 1000} s of drain, as in the other scenarios.
Latency is from the sender's timestamp in the text to each member's receipt. *Members with every
message* counts the members of active rooms that received every message their room's sender
sent in the run, in order, none skipped; deliveries to a connection outside the sender's room
are counted as misrouted. ${ROOMS.rounds} rounds, the two taking turns; the run with the median CPU
per delivery of each is reported. Goals (issue 12): all rooms ÷ active rooms alone ≤
${ROOMS_CPU_RATIO_GOAL.toFixed(1)}× in server CPU per delivery (a publish costs work in proportion to its room, not
to the hub), p99 < ${CLEAN_P99_MS} ms, every message delivered.`;
};

export const roomsMarkdown = (rooms: RoomsResult | undefined): string =>
  `## Rooms (issue 12)

${method(rooms)}

${rooms === undefined ? 'Not run in this run (`--only`).' : `${roomsTable(rooms)}\n\n${roomsTargetTable(rooms)}`}`;
