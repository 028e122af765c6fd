/**
 * Preloaded into the hubbub process with --import: the instant the listening line is written,
 * the process sends itself SIGTERM, like a supervisor that stops a service as soon as it
 * reports ready, with no delay at all. The process is expected to shut down gracefully.
 */
const write = process.stdout.write.bind(process.stdout) as (chunk: unknown) => boolean;

process.stdout.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
  const written = (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  if (String(chunk).startsWith('Hubbub listening')) process.kill(process.pid, 'SIGTERM');
  return written;
}) as typeof process.stdout.write;
