import type { BenchSettings, Mode } from './args.js';
import { readFileSync } from 'node:fs';
import { logFileOf } from './children.js';
import { keepAliveAgent, timedRequest, type Target } from './client.js';
import { fullGcs, heapFloors, type HeapFloor } from './gc-trace.js';
import { GATEWAY_CHILD, startBenchGateway } from './gateway.js';
import { runRate } from './load.js';
import { cpuMs, peakRssMiB, rssKindsMiB, rssMiB } from './proc.js';
import { alignTable } from './align-table.js';
import { percentiles, round2 } from './stats.js';
import { gatewayTarget } from './targets.js';
import { startUpstream } from './upstream.js';

/** How often the soak reports. */
const INTERVAL_S = 30;
const DEFAULT_RATE = 500;
/** Full GCs this long after the gateway's start count: its start, the key's creation and the warm-up come before. */
const SETTLED_MS = 15_000;

export interface SoakInterval {
  /** Seconds since the measured soak started, at the end of this interval. */
  readonly atS: number;
  readonly requests: number;
  readonly errors: number;
  /** What the errors were (the client's message, or the answer's status), each with its count: a soak's rare error is
   * otherwise a bare number. */
  readonly errorKinds?: Readonly<Record<string, number>>;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  /** The gateway's resident memory at the end of the interval (VmRSS), MiB, and its anonymous and file-backed parts. */
  readonly rssMiB?: number;
  readonly anonMiB?: number;
  readonly fileMiB?: number;
  readonly cpuMsPerRequest?: number;
}

export interface SoakReport {
  readonly mode: Mode;
  readonly perSecond: number;
  readonly durationS: number;
  readonly intervals: readonly SoakInterval[];
  /** Growth from the end of the first interval to the end of the last, MiB: RSS, and its anonymous part. */
  readonly rssGrowthMiB?: number;
  readonly anonGrowthMiB?: number;
  readonly peakRssMiB?: number;
  /** What survived each full GC, per thread (from the gateway's `--trace-gc`): flat when nothing leaks. */
  readonly heapFloors: readonly HeapFloor[];
}

/**
 * The memory soak of issue 8: the gateway (as `npm start` runs it, quotas and ledger on) at a fixed rate for
 * `settings.soakS` seconds after the warm-up, its resident memory and latency read every 30 s. Memory is flat when
 * the RSS after the first interval (allocator and JIT warmed, the store's caches filled) stays where it is.
 */
export async function runSoak(settings: BenchSettings, progress: (line: string) => void): Promise<SoakReport> {
  const durationS = settings.soakS ?? 300;
  const perSecond = settings.loads.find((load) => load.kind === 'rate')?.perSecond ?? DEFAULT_RATE;
  const mode = settings.modes[0] ?? 'json';
  progress(`starting the fake upstream (latency ${settings.upstreamLatencyMs} ms) and the gateway`);
  const upstream = await startUpstream(settings.upstreamLatencyMs);
  try {
    const gateway = gatewayTarget(await startBenchGateway(upstream, ['--trace-gc']));
    const agent = keepAliveAgent(settings.maxInFlight);
    try {
      const to: Target = { url: gateway.url, headers: gateway.headers, agent, timeoutMs: settings.timeoutS * 1000 };
      const body = gateway.body(mode);
      const issue = () => timedRequest(to, body, mode === 'stream');
      const pid = gateway.handle.pid;
      if (settings.warmupS > 0)
        await runRate(issue, { perSecond, durationMs: settings.warmupS * 1000, maxInFlight: settings.maxInFlight });
      const intervals: SoakInterval[] = [];
      for (let doneS = 0; doneS < durationS;) {
        const lengthS = Math.min(INTERVAL_S, durationS - doneS);
        const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
        const run = await runRate(issue, { perSecond, durationMs: lengthS * 1000, maxInFlight: settings.maxInFlight });
        const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
        doneS += lengthS;
        const latency = percentiles(run.latenciesMs);
        const requests = run.latenciesMs.length + run.errors;
        const rss = pid === undefined ? undefined : rssMiB(pid);
        const kinds = pid === undefined ? {} : rssKindsMiB(pid);
        const interval: SoakInterval = {
          atS: doneS,
          requests,
          errors: run.errors,
          ...(run.errorKinds.size === 0 ? {} : { errorKinds: Object.fromEntries(run.errorKinds) }),
          ...(latency === undefined ? {} : { p50Ms: latency.p50, p99Ms: latency.p99 }),
          ...(rss === undefined ? {} : { rssMiB: rss }),
          ...(kinds.anon === undefined ? {} : { anonMiB: kinds.anon }),
          ...(kinds.file === undefined ? {} : { fileMiB: kinds.file }),
          ...(cpuBefore === undefined || cpuAfter === undefined || requests === 0
            ? {}
            : { cpuMsPerRequest: round2((cpuAfter - cpuBefore) / requests) }),
        };
        intervals.push(interval);
        const named = Object.entries(interval.errorKinds ?? {}).map(([kind, count]) => `${kind} ×${count}`);
        progress(
          `soak ${doneS}/${durationS} s: RSS ${cell(interval.rssMiB, 0)} MiB, p50 ${cell(interval.p50Ms)} ms, ${interval.errors} errors` +
            (named.length === 0 ? '' : ` (${named.join('; ')})`),
        );
      }
      const first = intervals[0];
      const last = intervals[intervals.length - 1];
      const growth = (of: (i: SoakInterval) => number | undefined): number | undefined => {
        const from = first === undefined ? undefined : of(first);
        const to = last === undefined ? undefined : of(last);
        return from === undefined || to === undefined ? undefined : round2(to - from);
      };
      const rssGrowthMiB = growth((i) => i.rssMiB);
      const anonGrowthMiB = growth((i) => i.anonMiB);
      const peak = pid === undefined ? undefined : peakRssMiB(pid);
      const floors = heapFloors(fullGcs(readLog()), SETTLED_MS);
      return {
        mode,
        perSecond,
        durationS,
        intervals,
        ...(rssGrowthMiB === undefined ? {} : { rssGrowthMiB }),
        ...(anonGrowthMiB === undefined ? {} : { anonGrowthMiB }),
        ...(peak === undefined ? {} : { peakRssMiB: peak }),
        heapFloors: floors,
      };
    } finally {
      agent.destroy();
      await gateway.stop().catch(() => undefined);
    }
  } finally {
    await upstream.handle.stop().catch(() => undefined);
  }
}

/** The gateway's whole output so far (it writes its log file itself, V8's GC lines included, as they happen). */
function readLog(): string {
  try {
    return readFileSync(logFileOf(GATEWAY_CHILD), 'utf8');
  } catch {
    return '';
  }
}

const cell = (value: number | undefined, digits = 2): string => (value === undefined ? '-' : value.toFixed(digits));

/** The soak as a table, with its verdict line. */
export function formatSoakTable(report: SoakReport): string {
  const header = ['at s', 'requests', 'errors', 'p50 ms', 'p99 ms', 'RSS MiB', 'anon MiB', 'file MiB', 'CPU ms/req'];
  const rows = report.intervals.map((i) => [
    String(i.atS),
    String(i.requests),
    String(i.errors),
    cell(i.p50Ms),
    cell(i.p99Ms),
    cell(i.rssMiB, 0),
    cell(i.anonMiB, 0),
    cell(i.fileMiB, 0),
    cell(i.cpuMsPerRequest),
  ]);
  const signed = (n: number | undefined): string => (n === undefined ? '?' : `${n >= 0 ? '+' : ''}${n}`);
  return [
    `Memory soak: the gateway alone, ${report.mode} at ${report.perSecond}/s for ${report.durationS} s (after the warm-up)`,
    ...alignTable(header, rows, new Set()),
    ...report.intervals.flatMap((i) =>
      i.errorKinds === undefined
        ? []
        : [
            `errors until ${i.atS} s: ${Object.entries(i.errorKinds)
              .map(([kind, n]) => `${kind} ×${n}`)
              .join('; ')}`,
          ],
    ),
    `From the end of the first interval to the end of the last: RSS ${signed(report.rssGrowthMiB)} MiB, anonymous ${signed(report.anonGrowthMiB)} MiB; peak (VmHWM) ${cell(report.peakRssMiB, 0)} MiB`,
    'anon: the heaps and buffers; file: code and mapped files (LevelDB maps its tables: grows with the data).',
    ...report.heapFloors.map(
      (floor, i) =>
        `${i === 0 ? 'gateway thread' : `thread ${i + 1} (the store's)`}: alive after each of ${floor.fullGcs} full GCs ${floor.firstLiveMiB} MiB first, ${floor.lastLiveMiB} last (${floor.minLiveMiB}–${floor.maxLiveMiB}); heap up to ${floor.maxCommittedMiB} MiB between them`,
    ),
    report.heapFloors.length === 0
      ? 'no full GC after the start (--trace-gc): the live heap was not measured'
      : 'A leak shows as a rising floor; a heap that grows between full GCs and is kept afterwards is V8 sizing it for the allocation rate.',
  ].join('\n');
}
