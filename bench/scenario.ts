import { loadName, type BenchSettings, type Load, type Mode, type TargetName } from './args.js';
import { keepAliveAgent, timedRequest, type Sample, type Target } from './client.js';
import { runConcurrency, runRate, type LoadResult } from './load.js';
import { cpuMs, sampleRss } from './proc.js';
import type { BenchTarget } from './targets.js';
import { added, percentiles, type Percentiles } from './stats.js';

type Delta = Pick<Percentiles, 'p50' | 'p90' | 'p99'>;

/** One row: one target, one mode, one load. */
export interface RowResult {
  readonly name: string;
  readonly target: TargetName;
  readonly mode: Mode;
  readonly load: Load;
  /** Requests that ended in the measured run, errors included (for fixed rates: every request due). */
  readonly requests: number;
  /** Failures of every kind, timeouts and requests not sent included. */
  readonly errors: number;
  readonly timeouts: number;
  /** Fixed-rate rows: requests due while `maxInFlight` were in flight, not sent. */
  readonly notSent?: number;
  /** Successful answers per second, from the first send to the last answer. */
  readonly throughputRps: number;
  /** From sending the request to its last byte. */
  readonly latencyMs?: Percentiles;
  /** Streams: from sending the request to the arrival of the first content delta. */
  readonly ttftMs?: Percentiles;
  /** Rows through a proxy: this row − the direct row of the same mode and load, per percentile. */
  readonly addedLatencyMs?: Delta;
  readonly addedTtftMs?: Delta;
  /** Fixed-rate rows: how late the client sent requests against the schedule. */
  readonly sendLagMs?: Pick<Percentiles, 'p50' | 'p99' | 'max'>;
  /** The target's process (direct: the fake upstream) during the measured run: highest resident memory, MiB… */
  readonly peakRssMiB?: number;
  /** …and CPU time (user + system) per request, ms. */
  readonly cpuMsPerRequest?: number;
  readonly errorKinds: readonly { readonly message: string; readonly count: number }[];
  /** Every request sent, the probe and the warm-up included. */
  readonly issued?: number;
  /** Gateway rows: DynamoDB calls per request sent (all of them), and the calls per operation. */
  readonly storeCallsPerRequest?: number;
  readonly storeCalls?: Readonly<Record<string, number>>;
  /** Why the row could not run at all. */
  readonly failed?: string;
}

export const rowName = (target: TargetName, mode: Mode, load: Load): string => `${target} ${mode} ${loadName(load)}`;

export function failedRow(target: TargetName, mode: Mode, load: Load, reason: string): RowResult {
  return {
    name: rowName(target, mode, load),
    target,
    mode,
    load,
    requests: 0,
    errors: 0,
    timeouts: 0,
    throughputRps: 0,
    errorKinds: [],
    failed: reason,
  };
}

/** Terminal colour codes (Portkey colours its console output). */
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/** The last line of a process's output that looks like an error, to say why a probe failed. */
export function lastErrorLine(output: string): string | undefined {
  const lines = output
    .replace(ANSI, '')
    .split(/[\r\n]+/)
    .map((line) => line.trim())
    .filter((line) => /error/i.test(line) && !line.startsWith('at '));
  return lines[lines.length - 1]?.slice(0, 300);
}

function runUnder(
  load: Load,
  issue: () => Promise<Sample>,
  durationMs: number,
  settings: BenchSettings,
  measured: boolean,
): Promise<LoadResult> {
  if (load.kind === 'rate')
    return runRate(issue, { perSecond: load.perSecond, durationMs, maxInFlight: settings.maxInFlight });
  return runConcurrency(issue, {
    concurrency: load.clients,
    durationMs,
    requests: measured ? settings.requests : undefined,
  });
}

/**
 * One row: a probe request (a failure ends the row there, with the reason and what the target's process last
 * complained about), a warm-up under the same load, then the measured run, with the target process's memory
 * sampled and its CPU time read around it. A fresh keep-alive agent per row; its sockets go at the end.
 */
export async function measureRow(
  target: BenchTarget,
  mode: Mode,
  load: Load,
  settings: BenchSettings,
): Promise<RowResult> {
  const agent = keepAliveAgent(load.kind === 'concurrency' ? load.clients : settings.maxInFlight);
  const to: Target = { url: target.url, headers: target.headers, agent, timeoutMs: settings.timeoutS * 1000 };
  const body = target.body(mode);
  const stream = mode === 'stream';
  let issued = 0;
  const issue = (): Promise<Sample> => {
    issued += 1;
    return timedRequest(to, body, stream);
  };
  // Store counters are a side figure: a row keeps its latencies when they cannot be read.
  const storeCalls = async (): Promise<Record<string, number> | undefined> => {
    try {
      return await target.storeCalls?.();
    } catch {
      return undefined;
    }
  };
  try {
    const storeBefore = await storeCalls();
    const probe = await issue();
    if (!probe.ok) {
      const said = lastErrorLine(target.handle.output());
      const ended = target.handle.exited();
      const why = [
        said === undefined ? undefined : `${target.handle.name} logged: ${said}`,
        ended === undefined ? undefined : `it exited (${ended})`,
      ].filter((part) => part !== undefined);
      return failedRow(
        target.name,
        mode,
        load,
        `the first request to ${target.url.href} failed: ${probe.error}${why.length === 0 ? '' : ` (${why.join('; ')})`}`,
      );
    }
    if (settings.warmupS > 0) await runUnder(load, issue, settings.warmupS * 1000, settings, false);
    const pid = target.handle.pid;
    const rss = pid === undefined ? undefined : sampleRss([pid]);
    const cpuBefore = pid === undefined ? undefined : cpuMs(pid);
    const run = await runUnder(load, issue, settings.durationS * 1000, settings, true);
    const cpuAfter = pid === undefined ? undefined : cpuMs(pid);
    const peakRssMiB = pid === undefined ? undefined : rss?.stop().get(pid);
    const storeAfter = await storeCalls();

    const requests = run.latenciesMs.length + run.errors;
    const latencyMs = percentiles(run.latenciesMs);
    const ttftMs = stream ? percentiles(run.ttftsMs) : undefined;
    const lag = percentiles(run.sendLagsMs);
    const row: RowResult = {
      name: rowName(target.name, mode, load),
      target: target.name,
      mode,
      load,
      requests,
      errors: run.errors,
      timeouts: run.timeouts,
      ...(load.kind === 'rate' ? { notSent: run.notSent } : {}),
      throughputRps: run.latenciesMs.length / (run.elapsedMs / 1000),
      ...(latencyMs === undefined ? {} : { latencyMs }),
      ...(ttftMs === undefined ? {} : { ttftMs }),
      ...(lag === undefined ? {} : { sendLagMs: { p50: lag.p50, p99: lag.p99, max: lag.max } }),
      ...(peakRssMiB === undefined ? {} : { peakRssMiB }),
      ...(cpuBefore === undefined || cpuAfter === undefined || requests === 0
        ? {}
        : { cpuMsPerRequest: (cpuAfter - cpuBefore) / requests }),
      errorKinds: [...run.errorKinds].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
      issued,
    };
    return storeBefore === undefined || storeAfter === undefined ? row : withStoreCalls(row, storeBefore, storeAfter);
  } finally {
    agent.destroy();
  }
}

/** The row with the store calls it caused: `before` and `after` are the store's counters around the row. */
export function withStoreCalls(
  row: RowResult,
  before: Record<string, number>,
  after: Record<string, number>,
): RowResult {
  const calls: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after)) {
    const delta = count - (before[operation] ?? 0);
    if (delta > 0) calls[operation] = delta;
  }
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  return row.issued === undefined || row.issued === 0
    ? row
    : { ...row, storeCalls: calls, storeCallsPerRequest: total / row.issued };
}

/** The row with what it adds over the direct row of the same mode and load. */
export function withAdded(row: RowResult, direct: RowResult | undefined): RowResult {
  const latency = added(row.latencyMs, direct?.latencyMs);
  const ttft = added(row.ttftMs, direct?.ttftMs);
  return {
    ...row,
    ...(latency === undefined ? {} : { addedLatencyMs: latency }),
    ...(ttft === undefined ? {} : { addedTtftMs: ttft }),
  };
}
