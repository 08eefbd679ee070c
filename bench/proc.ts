import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks (100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/** A `Vm…:  123 kB` (or `Rss…:`) field of /proc/<pid>/status, in MiB; undefined when the process or the field is gone. */
function statusMiB(pid: number, field: 'VmRSS' | 'VmHWM' | 'RssAnon' | 'RssFile'): number | undefined {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process now, MiB. */
export const rssMiB = (pid: number): number | undefined => statusMiB(pid, 'VmRSS');

/**
 * Resident memory by kind, MiB: anonymous (the JavaScript heaps, buffers, malloc: what a leak would grow) and
 * file-backed (code, and files mapped in — LevelDB maps its table files, so this grows with the data on disk).
 */
export const rssKindsMiB = (pid: number): { anon?: number; file?: number } => {
  const anon = statusMiB(pid, 'RssAnon');
  const file = statusMiB(pid, 'RssFile');
  return { ...(anon === undefined ? {} : { anon }), ...(file === undefined ? {} : { file }) };
};

/** The highest resident memory a process has had since it started (the kernel's high-water mark), MiB. */
export const peakRssMiB = (pid: number): number | undefined => statusMiB(pid, 'VmHWM');

/** User + system CPU time a process has used so far, ms (10 ms resolution). */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, hence the last ')'): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Samples the resident memory of processes every `everyMs` until stopped; `stop()` gives the highest seen per pid. */
export function sampleRss(pids: readonly number[], everyMs = 100): { stop(): Map<number, number> } {
  const highest = new Map<number, number>();
  const sample = (): void => {
    for (const pid of pids) {
      const rss = rssMiB(pid);
      if (rss !== undefined && rss > (highest.get(pid) ?? 0)) highest.set(pid, rss);
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      sample();
      return highest;
    },
  };
}

/**
 * Waits until the processes together use less than `busyShare` of one core over `windowMs` (whatever a previous
 * row left queued in them has been worked off), at most `maxMs`. Returns how long it waited.
 */
export async function waitUntilIdle(
  pids: readonly number[],
  { windowMs = 250, busyShare = 0.1, maxMs = 20_000 } = {},
): Promise<number> {
  const total = (): number => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0);
  const started = Date.now();
  let before = total();
  while (Date.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = total();
    if (now - before <= windowMs * busyShare) break;
    before = now;
  }
  return Date.now() - started;
}
