/** Synchronous clean-ups (temporary directories) that must run however the benchmark ends. */
const cleanups = new Set<() => void>();

export function registerCleanup(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function runCleanupsNow(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      // best effort: nothing more to do on the way out
    }
  }
}
