// Preloaded into both servers under test (never into Hubbub in production): SIGUSR2 runs a full
// garbage collection, so idle memory is read without garbage that happens not to be collected
// yet. Needs node's --expose-gc.
process.on('SIGUSR2', () => {
  globalThis.gc?.();
  globalThis.gc?.();
});
