// The rooms scenario of `npm run bench` (issue 12): every room, then the active rooms alone,
// each on a fresh Hubbub with the same limits, for a few rounds; a run during which other
// processes were busy is measured again and the quieter one kept.
import { type RoomsMeasurement, runRoomsStep } from './load/rooms-step.ts';
import { quieterOf } from './quieter.ts';
import type { RoomsResult, RoomsRun } from './results.ts';
import { hubLabel } from './rooms-report.ts';
import { ROOMS, roomsServerFlags, roomsShapes } from './scenarios.ts';
import { type Placement, withServer } from './servers.ts';
import { roomsLine } from './step-line.ts';

export type RoomsOptions = {
  placement: Placement;
  progress: (line: string) => void;
  /** Takes one of the run's repeats for a noisy measurement; false when none is left. */
  takeRepeat: () => boolean;
  scale: number;
};

export const runRoomsScenario = async (options: RoomsOptions): Promise<RoomsResult> => {
  const { placement, progress } = options;
  const shapes = roomsShapes(options.scale);
  const flags = roomsServerFlags(shapes.wide);
  const result: RoomsResult = { scale: shapes.scale, runs: [], failures: [] };
  for (let round = 1; round <= ROOMS.rounds; round++) {
    for (const hub of ['wide', 'narrow'] as const) {
      const shape = shapes[hub];
      const measure = (): Promise<RoomsMeasurement> =>
        withServer(
          'hubbub',
          placement,
          progress,
          (server) =>
            runRoomsStep({
              ports: [server.port],
              serverPids: [server.pid],
              shape,
              messagesPerSender: ROOMS.messagesPerSender,
              joinBatch: ROOMS.joinBatch,
              ...ROOMS.timing,
            }),
          flags,
        );
      const label = `rooms ${hubLabel({ shape, rooms: shape.connections / shape.roomSize })}, round ${round} of ${ROOMS.rounds}`;
      const report = (measured: RoomsMeasurement): void =>
        progress(`${label}: ${roomsLine(measured)}`);
      try {
        const measured = await quieterOf(measure, report, { ...options, label });
        const run: RoomsRun = { ...measured, hub, round, shape };
        result.runs.push(run);
      } catch (error) {
        result.failures.push(`${label} failed: ${(error as Error).message}`);
        progress(`${label}: failed: ${(error as Error).message}`);
      }
    }
  }
  return result;
};
