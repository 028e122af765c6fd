// npm run mutate [-- domain lib app]: runs Stryker on each named folder in turn (all three by
// default), then prints each folder's mutation score beside its threshold. Exits non-zero when
// a folder scores below its threshold or its run fails. See docs/testing.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const FOLDERS = ['domain', 'lib', 'app'];

/** Stryker's mutation score: detected (killed or timed out) over every valid mutant. */
const scoreOf = (report) => {
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const file of Object.values(report.files)) {
    for (const mutant of file.mutants) {
      if (mutant.status in count) count[mutant.status] += 1;
    }
  }
  const detected = count.Killed + count.Timeout;
  const valid = detected + count.Survived + count.NoCoverage;
  return { ...count, score: valid === 0 ? 100 : (100 * detected) / valid };
};

const asked = process.argv.slice(2);
const unknown = asked.filter((folder) => !FOLDERS.includes(folder));
if (unknown.length > 0) {
  console.error(`unknown folder ${unknown.join(', ')}; expected some of ${FOLDERS.join(', ')}`);
  process.exit(2);
}

const rows = [];
for (const folder of asked.length > 0 ? asked : FOLDERS) {
  const config = `stryker/${folder}.config.mjs`;
  const { thresholds, jsonReporter } = (await import(`./${folder}.config.mjs`)).default;
  const report = jsonReporter.fileName;
  rmSync(report, { force: true }); // a failed run must not be scored by an older report
  const run = spawnSync('node_modules/.bin/stryker', ['run', config], { stdio: 'inherit' });
  const ran = run.status !== null && existsSync(report);
  const result = ran ? scoreOf(JSON.parse(readFileSync(report, 'utf8'))) : undefined;
  const passed = run.status === 0 && result !== undefined && result.score >= thresholds.break;
  rows.push({ folder, result, threshold: thresholds.break, passed });
}

console.log('\nMutation score per folder:');
for (const { folder, result, threshold, passed } of rows) {
  const counts =
    result === undefined
      ? 'no report: the run failed'
      : `${result.score.toFixed(2)} % (killed ${result.Killed}, timed out ${result.Timeout}, survived ${result.Survived}, no coverage ${result.NoCoverage})`;
  console.log(
    `  src/${folder.padEnd(6)} ${counts}; threshold ${threshold} %: ${passed ? 'ok' : 'FAILED'}`,
  );
}
process.exit(rows.every((row) => row.passed) ? 0 : 1);
