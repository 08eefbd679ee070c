import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The niceness of the embedded store's thread: below the gateway's own threads, above idle work. */
export const STORE_THREAD_NICE = 10;

/**
 * Lowers the scheduling priority of the calling thread only (Linux: setpriority on the thread's id, which
 * /proc/thread-self names). The embedded store's thread writes the ledger journal's batches in the background; on a
 * machine with few cores those bursts would otherwise take a core from the requests being served (in `npm run bench`,
 * p90 added latency at 500 req/s fell from ~4 ms to ~2 ms with it). Elsewhere, or if refused, nothing changes:
 * returns whether it was applied.
 */
export function lowerThreadPriority(nice: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
