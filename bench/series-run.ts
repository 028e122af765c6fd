// Scenarios A and B of `npm run bench`: each series on a fresh server, stepped up through its
// rates until a step fails badly; a step during which other processes were busy is measured
// again (while the run's repeats last) and the quieter one kept.
import { rate } from './format.ts';
import { probeV1 } from './load/probe.ts';
import { runStep } from './load/step.ts';
import { seriesLabel } from './report.ts';
import type { SeriesResult } from './results.ts';
import { FAILS_BADLY, NOISE, SCENARIOS, SERIES, TIMING } from './scenarios.ts';
import type { ServerKind } from './servers.ts';
import { stepLine } from './step-line.ts';

export type SeriesOptions = {
  /** The parts of the run asked for (--only): 'a', 'b', ... */
  parts: ReadonlySet<string>;
  withServer: <T>(kind: ServerKind, use: (pid: number, port: number) => Promise<T>) => Promise<T>;
  progress: (line: string) => void;
  /** Takes one of the run's repeats for a noisy measurement; false when none is left. */
  takeRepeat: () => boolean;
};

export const runSeries = async (options: SeriesOptions): Promise<SeriesResult[]> => {
  const { withServer, progress, takeRepeat } = options;
  const series: SeriesResult[] = [];
  for (const scenario of SCENARIOS) {
    if (!options.parts.has(scenario.id.toLowerCase())) continue;
    for (const { server, protocol } of SERIES) {
      const result: SeriesResult = {
        scenario: scenario.id,
        server,
        protocol,
        clients: scenario.clients,
        senders: scenario.senders,
        steps: [],
      };
      series.push(result);
      const label = `${scenario.id} ${seriesLabel(result)}`;
      try {
        await withServer(server, async (pid, port) => {
          if (protocol === 'v1') {
            const probe = await probeV1(port);
            if (!probe.supported) {
              result.skipped = `hubbub.v1 not supported by this server (${probe.why})`;
              progress(`${label}: ${result.skipped}`);
              return;
            }
          }
          for (const target of scenario.rates) {
            const plan = {
              port,
              serverPid: pid,
              protocol,
              clients: scenario.clients,
              senders: scenario.senders,
              rate: target,
              ...TIMING,
            };
            let step = await runStep(plan);
            progress(`${label} ${rate(target)}/s: ${stepLine(step)}`);
            if (step.otherCpuPercent > NOISE.otherCpuPercent && takeRepeat()) {
              progress(`${label} ${rate(target)}/s: other processes were busy; measuring again`);
              const again = await runStep(plan);
              progress(`${label} ${rate(target)}/s: ${stepLine(again)}`);
              if (again.otherCpuPercent < step.otherCpuPercent) step = again;
            }
            result.steps.push(step);
            if (step.completeness < FAILS_BADLY.completeness || step.p99Ms > FAILS_BADLY.p99Ms) {
              result.stoppedEarly = `stopped after ${rate(target)}/s failed badly`;
              progress(`${label}: ${result.stoppedEarly}, no higher rates`);
              break;
            }
          }
        });
      } catch (error) {
        result.skipped ??= `failed: ${(error as Error).message}`;
        progress(`${label}: ${result.skipped}`);
      }
    }
  }
  return series;
};
