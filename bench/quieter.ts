// A measurement taken again when other processes were busy during it (while the run's repeats
// last), the quieter of the two kept: the rooms and cluster scenarios measure this way.
import type { StepResult } from './load/measure.ts';
import { NOISE } from './scenarios.ts';

export type Repeats = {
  label: string;
  progress: (line: string) => void;
  /** Takes one of the run's repeats for a noisy measurement; false when none is left. */
  takeRepeat: () => boolean;
};

export const quieterOf = async <T extends { step: StepResult }>(
  measure: () => Promise<T>,
  report: (measured: T) => void,
  { label, progress, takeRepeat }: Repeats,
): Promise<T> => {
  const measured = await measure();
  report(measured);
  if (measured.step.otherCpuPercent <= NOISE.otherCpuPercent || !takeRepeat()) return measured;
  progress(`${label}: other processes were busy; measuring again`);
  const again = await measure();
  report(again);
  return again.step.otherCpuPercent < measured.step.otherCpuPercent ? again : measured;
};
