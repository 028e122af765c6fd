// `npm run soak`: a bounded reliability soak of the real server on loopback. Churns chat clients
// and misbehaving ones (vanishing mid-write, half-open, resets during the handshake, slow
// readers) for --duration-s, prints what both sides counted and the server's memory, and exits
// 1 if a check failed. Options: --duration-s (60), --seed, --clients (40), --write (writes
// docs/reliability.md from the run), --no-memory (no readings, no warm-up pause).
import { parseArgs } from 'node:util';
import { RELIABILITY_PATH, writeReliabilityDoc } from './docs.ts';
import { randomSeed } from './random.ts';
import { heading, tables, textTable } from './report.ts';
import { runSoak } from './soak.ts';
import { passed } from './verdict.ts';

const { values } = parseArgs({
  options: {
    'duration-s': { type: 'string', default: '60' },
    seed: { type: 'string' },
    clients: { type: 'string', default: '40' },
    write: { type: 'boolean', default: false },
    'no-memory': { type: 'boolean', default: false },
  },
});

const integer = (name: string, raw: string | undefined, low: number, high: number): number => {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new Error(`--${name} takes an integer from ${low} to ${high}; got "${raw}"`);
  }
  return value;
};

const durationS = integer('duration-s', values['duration-s'], 5, 3_600);
const seed =
  values.seed === undefined ? randomSeed() : integer('seed', values.seed, 0, 2 ** 32 - 1);
// Under 200 connections at once in all (the server allows 256 per address by default).
const clients = integer('clients', values.clients, 1, 120);

process.stdout.write(`soak: ${durationS} s, seed ${seed}, ${clients} chat clients\n`);
const result = await runSoak({
  durationS,
  seed,
  clients,
  memory: !values['no-memory'],
  log: (line) => process.stdout.write(`${line}\n`),
});
const ok = passed(result.checks);
process.stdout.write(`\n${heading(result).join('\n')}\n\n`);
process.stdout.write(`${tables(result).map(textTable).join('\n\n')}\n\n`);
if (result.tally.problems.length > 0) {
  process.stdout.write(`Problems (${result.tally.problemCount}):\n`);
  for (const problem of result.tally.problems) process.stdout.write(`  - ${problem}\n`);
  process.stdout.write('\n');
}
if (!ok)
  process.stdout.write(
    `Server stderr (last lines):\n${result.stderrTail.split('\n').slice(-15).join('\n')}\n\n`,
  );
if (values.write) {
  writeReliabilityDoc(result);
  process.stdout.write(`wrote ${RELIABILITY_PATH}\n`);
}
process.stdout.write(`soak ${ok ? 'PASSED' : 'FAILED'} (seed ${seed})\n`);
process.exitCode = ok ? 0 : 1;
