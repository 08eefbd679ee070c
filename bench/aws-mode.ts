import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSettings, Mode } from './args.js';
import { exchange, type TimedExchange } from './aws-client.js';
import { costReport, type CostReport } from './aws-cost.js';
import {
  logFigures,
  minus,
  spreadOf,
  storeFigures,
  type LogFigures,
  type Spread,
  type StoreFigures,
} from './aws-figures.js';
import { logFileOf } from './children.js';
import { keepAliveAgent } from './client.js';
import { registerCleanup } from './cleanup.js';
import { GATEWAY_CHILD, startBenchGateway } from './gateway.js';
import { cpuMs, peakRssMiB } from './proc.js';
import { machine, type Machine } from './run.js';
import { msBetween } from './stats.js';
import { startStoreProxy, type StoreProxy } from './store-proxy.js';
import { directTarget, gatewayTarget, startSdkFloor, type BenchTarget } from './targets.js';
import { startUpstream, type Upstream } from './upstream.js';
import { startEmbeddedStore, type EmbeddedStore } from '../local/store.js';
import { DEFAULT_CHAT_MEMORY_MB } from '../lambdas/config/functions-schema.js';

export const AWS_SIDES = ['direct', 'sdk-floor', 'gateway'] as const;
export type AwsSide = (typeof AWS_SIDES)[number];

/** One target × mode of the AWS mode: sequential requests. */
export interface AwsRow {
  readonly target: AwsSide;
  readonly mode: Mode;
  readonly requests: number;
  readonly errors: number;
  readonly errorKinds: readonly string[];
  /** JSON: to the last byte; streams: to the last byte (the stream's end). */
  readonly endMs?: Spread;
  readonly ttftMs?: Spread;
  /** This row − direct. */
  readonly addedEndMs?: Spread | undefined;
  readonly addedTtftMs?: Spread | undefined;
  /** The target's process during the measured requests. */
  readonly cpuMsPerRequest?: number;
  /** Gateway rows: its store traffic and its output. */
  readonly store?: StoreFigures;
  readonly logs?: LogFigures;
}

export interface AwsReport {
  readonly date: string;
  readonly machine: Machine;
  readonly loadAverageEnd: readonly number[];
  readonly settings: {
    readonly storeDelayMs: number;
    readonly upstreamLatencyMs: number;
    readonly requests: number;
    readonly warmupRequests: number;
  };
  readonly rows: readonly AwsRow[];
  /** Highest resident memory (VmHWM) of the gateway and sdk-floor processes over the run, MiB. */
  readonly peakRssMiB: Readonly<Partial<Record<AwsSide, number | undefined>>>;
  readonly cost?: CostReport;
}

const WARMUP_REQUESTS = 20;
const DEFAULT_REQUESTS = 200;

/** Bytes a file gained since `from`, as text. */
function readFrom(path: string, from: number): string {
  const size = statSync(path).size;
  if (size <= from) return '';
  const buffer = Buffer.alloc(size - from);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, from);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the store proxy has had nothing in flight and no new call for `quietMs` (the function's tail). */
async function quiet(proxy: StoreProxy, quietMs: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (proxy.pending() === 0 && msBetween(proxy.lastActivity(), process.hrtime.bigint()) >= quietMs) return;
    await sleep(2);
  }
}

interface Side {
  readonly target: BenchTarget;
  readonly exchanges: TimedExchange[];
  readonly errors: string[];
}

/**
 * Requests one at a time, the three targets in turn (direct, sdk-floor, gateway: the machine's drift hits all
 * alike); after each, a pause until the store has been quiet for a while, so what the gateway does after the
 * answer is counted with its request, as Lambda would wait for it before the next invocation.
 */
async function runMode(
  sides: readonly Side[],
  mode: Mode,
  settings: { requests: number; timeoutMs: number; quietMs: number },
  proxy: StoreProxy,
  gateway: BenchTarget,
): Promise<AwsRow[]> {
  const agents = sides.map(() => keepAliveAgent(1));
  const issue = async (side: Side, index: number, measured: boolean): Promise<void> => {
    const target = side.target;
    try {
      const done = await exchange(
        target.url,
        target.headers,
        agents[index] ?? keepAliveAgent(1),
        target.body(mode),
        mode === 'stream',
        settings.timeoutMs,
      );
      if (measured) side.exchanges.push(done);
    } catch (err) {
      if (measured) side.errors.push(err instanceof Error ? err.message : String(err));
    }
    await quiet(proxy, settings.quietMs);
  };
  for (let i = 0; i < WARMUP_REQUESTS; i++)
    for (const [index, side] of sides.entries()) await issue(side, index, false);
  const logFile = logFileOf(GATEWAY_CHILD);
  await sleep(100);
  const logFrom = statSync(logFile).size;
  const callsFrom = proxy.calls.length;
  const cpuFrom = new Map(
    sides.map((side) => [
      side.target.name,
      side.target.handle.pid === undefined ? undefined : cpuMs(side.target.handle.pid),
    ]),
  );
  for (let i = 0; i < settings.requests; i++)
    for (const [index, side] of sides.entries()) await issue(side, index, true);
  await sleep(100);
  for (const agent of agents) agent.destroy();
  const direct = sides.find((side) => side.target.name === 'direct');
  const spreads = (side: Side | undefined) => ({
    end: spreadOf((side?.exchanges ?? []).map((x) => msBetween(x.startedAt, x.endedAt))),
    ttft: spreadOf(
      (side?.exchanges ?? []).flatMap((x) =>
        x.firstContentAt === undefined ? [] : [msBetween(x.startedAt, x.firstContentAt)],
      ),
    ),
  });
  const base = spreads(direct);
  return sides.map((side) => {
    const own = spreads(side);
    const pid = side.target.handle.pid;
    const cpuStart = cpuFrom.get(side.target.name);
    const cpuEnd = pid === undefined ? undefined : cpuMs(pid);
    const n = side.exchanges.length;
    const isGateway = side.target === gateway;
    return {
      target: side.target.name as AwsSide,
      mode,
      requests: n,
      errors: side.errors.length,
      errorKinds: [...new Set(side.errors)].slice(0, 3),
      ...(own.end === undefined ? {} : { endMs: own.end }),
      ...(own.ttft === undefined ? {} : { ttftMs: own.ttft }),
      ...(side === direct ? {} : { addedEndMs: minus(own.end, base.end), addedTtftMs: minus(own.ttft, base.ttft) }),
      ...(cpuStart === undefined || cpuEnd === undefined || n === 0 || side === direct
        ? {}
        : { cpuMsPerRequest: (cpuEnd - cpuStart) / n }),
      ...(isGateway
        ? {
            store: storeFigures(side.exchanges, proxy.calls.slice(callsFrom)),
            logs: logFigures(readFrom(logFile, logFrom), n),
          }
        : {}),
    };
  });
}

/**
 * `npm run bench -- --aws`: the gateway on the Lambda path (GATEWAY_LEDGER_JOURNAL=off: every booking goes to the
 * store as in AWS; EMF on), its store (the embedded one, in a worker thread of the bench) behind a proxy that delays
 * each DynamoDB call by `--store-delay`, next to sdk-floor and direct on the same fake upstream, one request at a time.
 */
export async function runAwsMode(settings: BenchSettings, progress: (line: string) => void): Promise<AwsReport> {
  const date = new Date().toISOString();
  const host = machine();
  const dir = mkdtempSync(join(tmpdir(), 'llm-gateway-bench-aws-'));
  const unregister = registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  let upstream: Upstream | undefined;
  let store: EmbeddedStore | undefined;
  let proxy: StoreProxy | undefined;
  const started: BenchTarget[] = [];
  try {
    progress(`starting the fake upstream (latency ${settings.upstreamLatencyMs} ms)`);
    upstream = await startUpstream(settings.upstreamLatencyMs);
    progress('starting the store and its proxy');
    store = await startEmbeddedStore(join(dir, 'data'));
    proxy = await startStoreProxy(store.endpoint, settings.storeDelayMs);
    progress('starting sdk-floor and the gateway (GATEWAY_LEDGER_JOURNAL=off)');
    const floor = await startSdkFloor(upstream);
    started.push(floor);
    const gateway = gatewayTarget(
      await startBenchGateway(upstream, [], {
        DYNAMODB_ENDPOINT: proxy.url,
        GATEWAY_LEDGER_JOURNAL: 'off',
        POWERTOOLS_METRICS_DISABLED: 'false',
      }),
    );
    started.push(gateway);
    const sides: Side[] = [directTarget(upstream), floor, gateway].map((target) => ({
      target,
      exchanges: [],
      errors: [],
    }));
    const requests = settings.requests ?? DEFAULT_REQUESTS;
    const rows: AwsRow[] = [];
    for (const mode of settings.modes) {
      progress(`${mode}: ${WARMUP_REQUESTS} + ${requests} requests per target, one at a time`);
      for (const side of sides) {
        side.exchanges.length = 0;
        side.errors.length = 0;
      }
      rows.push(
        ...(await runMode(
          sides,
          mode,
          { requests, timeoutMs: settings.timeoutS * 1000, quietMs: Math.max(15, 3 * settings.storeDelayMs) },
          proxy,
          gateway,
        )),
      );
    }
    const peak = (target: BenchTarget): number | undefined =>
      target.handle.pid === undefined ? undefined : peakRssMiB(target.handle.pid);
    const peakRss = { 'sdk-floor': peak(floor), gateway: peak(gateway) };
    return {
      date,
      machine: host,
      loadAverageEnd: machine().loadAverage,
      settings: {
        storeDelayMs: settings.storeDelayMs,
        upstreamLatencyMs: settings.upstreamLatencyMs,
        requests,
        warmupRequests: WARMUP_REQUESTS,
      },
      rows,
      peakRssMiB: peakRss,
      ...costOf(rows, peakRss.gateway),
    };
  } finally {
    for (const target of started) await target.stop().catch(() => undefined);
    await proxy?.close().catch(() => undefined);
    await store?.close().catch(() => undefined);
    await upstream?.handle.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    unregister();
  }
}

/** The cost table from the gateway's JSON row (its stream row when there is no JSON row). */
function costOf(rows: readonly AwsRow[], peakRss: number | undefined): { cost?: CostReport } {
  const row = rows.find((r) => r.target === 'gateway' && r.mode === 'json') ?? rows.find((r) => r.target === 'gateway');
  if (row?.store === undefined || row.logs === undefined || row.cpuMsPerRequest === undefined || peakRss === undefined)
    return {};
  return {
    cost: costReport(
      {
        cpuMsPerRequest: row.cpuMsPerRequest,
        addedMs: Math.max(0, row.addedEndMs?.p50 ?? 0),
        afterEndMs: row.store.afterEndMs,
        writeUnits: row.store.writeUnitsPerRequest,
        readUnits: row.store.readUnitsPerRequest,
        logBytes: row.logs.totalBytes,
        peakRssMiB: peakRss,
      },
      DEFAULT_CHAT_MEMORY_MB,
    ),
  };
}
