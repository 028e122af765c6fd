// Shared Stryker options for the mutation runs of one folder each (domain.config.mjs, ...).
// Each run mutates one folder and runs only the ava files that test it: see docs/testing.md.

/**
 * The options of the run that mutates `folder` (a name for its reports) and tests each mutant
 * with `command`, failing below `breakAt` percent.
 * @param {{ name: string, mutate: string[], command: string, breakAt: number }} run
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export const strykerRun = ({ name, mutate, command, breakAt }) => ({
  mutate,
  // The command runner runs the whole command once per mutant (the mutant is chosen by an
  // environment variable), so `command` names only the test files of the mutated folder and
  // stops at the first failure.
  testRunner: 'command',
  commandRunner: { command },
  // The command runner reports no coverage, so every mutant runs the whole command; Stryker's
  // `ignoreStatic` needs per-test coverage and is not available with it.
  coverageAnalysis: 'off',
  // No checker: TypeScript 7 (the Go tsc) has no compiler API for @stryker-mutator/typescript-checker.
  checkers: [],
  // Stryker's tsconfig step (rewriting project references in the sandbox) crashes on TypeScript 7;
  // naming a file that does not exist skips it. Keep this file absent.
  tsconfigFile: 'tsconfig.stryker-none.json',
  // The machine has 2 cores, and other work runs on it; each ava run starts its own processes.
  concurrency: 2,
  // A run slower than timeoutFactor x the unmutated run + timeoutMS counts as a timeout, which
  // Stryker counts as detected (an endless loop, say). Generous on purpose: this machine is
  // shared, a whole ava run can take twice as long under load, and a survivor that merely ran
  // slowly must not pass for a detected mutant.
  timeoutMS: 60_000,
  timeoutFactor: 3,
  thresholds: { high: breakAt, low: breakAt - 5, break: breakAt },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  clearTextReporter: {
    allowColor: true,
    logTests: false,
    reportMutants: true,
    reportScoreTable: true,
  },
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Only what the tests need goes into the sandbox (node_modules is symlinked, Stryker's default).
  ignorePatterns: ['bench', 'docs', '.ci', 'reports', 'coverage', '.tmp'],
});
