import { cpus, loadavg, totalmem } from 'node:os';
import { loadName, type BenchSettings, type TargetName } from './args.js';
import type { ChildHandle } from './children.js';
import type { ColdStartReport } from './cold-start.js';
import type { SoakReport } from './soak.js';
import { startBenchGateway } from './gateway.js';
import { peakRssMiB, waitUntilIdle } from './proc.js';
import { failedRow, measureRow, withAdded, type RowResult } from './scenario.js';
import {
  directTarget,
  gatewayTarget,
  startPassthrough,
  startPortkey,
  startSdkFloor,
  type BenchTarget,
} from './targets.js';
import { startUpstream, type Upstream } from './upstream.js';

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started… */
  readonly loadAverage: readonly number[];
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
}

/** A child process of the run and the most memory it held (the kernel's VmHWM, read before it stopped). */
export interface ProcessPeak {
  readonly name: string;
  readonly peakRssMiB?: number;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  /** …and when it ended. */
  readonly loadAverageEnd: readonly number[];
  readonly settings: Omit<BenchSettings, 'jsonOnly'>;
  readonly rows: readonly RowResult[];
  readonly processes: readonly ProcessPeak[];
  readonly coldStart?: ColdStartReport;
  readonly soak?: SoakReport;
}

const loadAverage = (): number[] => loadavg().map((n) => Math.round(n * 100) / 100);

export function machine(): Machine {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    loadAverage: loadAverage(),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

async function startTarget(name: Exclude<TargetName, 'direct'>, upstream: Upstream): Promise<BenchTarget> {
  switch (name) {
    case 'passthrough':
      return startPassthrough(upstream);
    case 'sdk-floor':
      return startSdkFloor(upstream);
    case 'gateway':
      return gatewayTarget(await startBenchGateway(upstream));
    case 'gateway-cache':
      return gatewayTarget(await startBenchGateway(upstream), 'gateway-cache');
    case 'portkey':
      return startPortkey(upstream);
  }
}

/**
 * The fake upstream and every target as child processes, then per mode, per load, per target one row (direct
 * first: the others are compared with it). A target that cannot start turns its rows into failures with the
 * reason. Between rows the run waits until the processes are idle again, so a row does not pay for the backlog of
 * the one before. The processes are stopped whatever happens.
 */
export async function runLoadComparison(
  settings: BenchSettings,
  progress: (line: string) => void,
): Promise<Omit<BenchReport, 'coldStart'>> {
  const date = new Date().toISOString();
  const host = machine();
  let upstream: Upstream | undefined;
  const targets = new Map<TargetName, BenchTarget>();
  const problems = new Map<TargetName, string>();
  const handles: ChildHandle[] = [];
  try {
    progress(`starting the fake upstream (latency ${settings.upstreamLatencyMs} ms)`);
    upstream = await startUpstream(settings.upstreamLatencyMs);
    handles.push(upstream.handle);
    targets.set('direct', directTarget(upstream));
    for (const name of settings.targets) {
      if (name === 'direct') continue;
      progress(`starting ${name}`);
      try {
        const target = await startTarget(name, upstream);
        targets.set(name, target);
        handles.push(target.handle);
      } catch (err) {
        problems.set(name, `${name} did not start: ${errorText(err)}`);
        progress(problems.get(name) ?? '');
      }
    }
    const pids = handles.flatMap((handle) => (handle.pid === undefined ? [] : [handle.pid]));
    const rows: RowResult[] = [];
    for (const mode of settings.modes) {
      for (const load of settings.loads) {
        let direct: RowResult | undefined;
        for (const name of settings.targets) {
          const target = targets.get(name);
          if (target === undefined) {
            rows.push(failedRow(name, mode, load, problems.get(name) ?? `${name} did not start`));
            continue;
          }
          progress(`${name} ${mode}, ${loadName(load)}`);
          await waitUntilIdle(pids);
          const row = await measureRow(target, mode, load, settings).catch((err: unknown) =>
            failedRow(
              name,
              mode,
              load,
              `the row broke off: ${errorText(err)}${target.handle.exited() === undefined ? '' : ` (${target.handle.name} exited: ${target.handle.exited() ?? ''})`}`,
            ),
          );
          if (name === 'direct') direct = row;
          rows.push(name === 'direct' ? row : withAdded(row, direct));
        }
      }
    }
    const processes = handles.map((handle) => {
      const peak = handle.pid === undefined ? undefined : peakRssMiB(handle.pid);
      return { name: handle.name, ...(peak === undefined ? {} : { peakRssMiB: peak }) };
    });
    const { jsonOnly: _jsonOnly, ...measured } = settings;
    return { date, machine: host, loadAverageEnd: loadAverage(), settings: measured, rows, processes };
  } finally {
    for (const target of targets.values()) await target.stop().catch(() => undefined);
    await upstream?.handle.stop().catch(() => undefined);
  }
}
