import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from '../lib/paths.js';
import { startRecorder } from './aws-recorder.js';
import { bundle, type BundleSize } from './bundle-size.js';
import { registerCleanup } from './cleanup.js';
import { coldCandidates, copyFiles, functionEnvironment } from './cold-candidates.js';
import { buildCacheFor, probeOnce, PROBE_NODE, statusText, type RequestFigure } from './cold-probe.js';
import { startColdUpstreams } from './cold-upstreams.js';
import { expectedStatus } from './processes/init-requests.js';
import { percentiles } from './stats.js';

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface BundleColdStart {
  readonly name: string;
  readonly size?: BundleSize;
  /** Runs in a fresh process each: import of the bundle until `handler` is exported, ms… */
  readonly importMs?: Spread;
  /** …and from the process's start (Node's time origin) until then: what a Lambda init adds up to, ms. */
  readonly readyMs?: Spread;
  /** readyMs median ÷ the hello-world handler's… */
  readonly readyVsHello?: number;
  /** …and ÷ sdk-floor's. */
  readonly readyVsFloor?: number;
  /** The first request after init and the second (bench/processes/init-requests.ts), ms; the status they got. */
  readonly firstMs?: Spread;
  readonly secondMs?: Spread;
  /** The first request until its response ended (what the client waited for; a streaming function books after). */
  readonly firstAnsweredMs?: Spread;
  /** CPU time until init ended, and of the first and second request (less sensitive to a loaded machine), ms. */
  readonly initCpuMs?: Spread;
  readonly firstCpuMs?: Spread;
  readonly secondCpuMs?: Spread;
  readonly status?: string;
  /** Whether the bundle carries a V8 compile cache (lib/compile-cache-build.mjs). */
  readonly compileCache: boolean;
  /** AWS calls the recorder saw during the import, the two requests and the settle time after, per run. */
  readonly callsAtInit: Readonly<Record<string, number>>;
  readonly failed?: string;
}

export interface ColdStartReport {
  readonly runs: number;
  readonly settleMs: number;
  /** The Node that ran the bundles (the Lambda runtime's major: the node@22 devDependency). */
  readonly node: string;
  readonly hello: BundleColdStart;
  /** What the chat function loads because the product prescribes it (sdk-floor-handler.ts), without gateway code. */
  readonly floor: BundleColdStart;
  readonly functions: readonly BundleColdStart[];
  /** The control bundle, which calls the store and the secret at import: the recorder must see both. */
  readonly control: BundleColdStart & { readonly recorderSeesCalls: boolean };
}

export type { BundleSize } from './bundle-size.js';

const SETTLE_MS = 300;

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

const spread = (values: number[]): Spread | undefined => {
  const p = percentiles(values);
  return p === undefined ? undefined : { median: p.p50, min: p.min, max: p.max };
};

/**
 * Bundles every function of the stack (function-specs.ts) as NodejsFunction does, plus a hello-world handler and the
 * control; then `runs` rounds, each starting every bundle once in a fresh `node` (round-robin, so machine noise
 * spreads evenly) with a Lambda-like environment whose AWS endpoints all point at a recorder.
 */
export async function measureColdStart(runs: number, progress: (line: string) => void): Promise<ColdStartReport> {
  const root = mkdtempSync(join(tmpdir(), 'llm-gateway-cold-'));
  const unregister = registerCleanup(() => rmSync(root, { recursive: true, force: true }));
  const closers: (() => Promise<void>)[] = [];
  const upstreams = await startColdUpstreams();
  closers.push(() => upstreams.close());
  // Every AWS endpoint; its secret holds the provider rows' keys (the chat function reads it, as in Lambda).
  const recorder = await startRecorder({ providerKeys: upstreams.providerKeys });
  closers.push(() => recorder.close());
  // The DynamoDB of the functions' requests (not the control's): every call an empty success.
  const store = await startRecorder({ otherDynamoDb: 'empty' });
  closers.push(() => store.close());
  const allCalls = (): Map<string, number> => {
    const all = new Map(recorder.calls);
    for (const [operation, count] of store.calls) all.set(operation, (all.get(operation) ?? 0) + count);
    return all;
  };
  try {
    const probe = join(root, 'probe.mjs');
    await build({
      entryPoints: [join(REPO_ROOT, 'bench/processes/init-probe.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: probe,
      logLevel: 'warning',
    });
    const candidates = coldCandidates(upstreams);
    progress(`cold start: bundling ${candidates.length} entry points with esbuild (NodejsFunction's settings)`);
    const prepared = await Promise.all(
      candidates.map(async (candidate) => {
        const dir = join(root, candidate.name.replace(/[^\w+.-]+/g, '-'));
        mkdirSync(dir, { recursive: true });
        try {
          const size = await bundle(candidate.entry, dir, candidate.cache === true);
          copyFiles(candidate, dir);
          const compileCache = candidate.cache === true && (await buildCacheFor(dir));
          const env = {
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            LAMBDA_TASK_ROOT: dir,
            AWS_REGION: 'us-east-1',
            AWS_DEFAULT_REGION: 'us-east-1',
            AWS_ACCESS_KEY_ID: 'AKIDBENCHMARK',
            AWS_SECRET_ACCESS_KEY: 'bench-secret',
            AWS_SESSION_TOKEN: 'bench-session',
            AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
            AWS_ENDPOINT_URL: recorder.endpoint,
            // The functions' requests write to a store that answers (the control's calls must reach the recorder).
            ...(candidate.name === 'control' ? {} : { AWS_ENDPOINT_URL_DYNAMODB: store.endpoint }),
            BENCH_SETTLE_MS: String(SETTLE_MS),
            ...functionEnvironment(candidate, dir),
          };
          return { candidate, dir, size, env, compileCache, problem: undefined };
        } catch (err) {
          return {
            candidate,
            dir,
            size: undefined,
            env: {},
            compileCache: false,
            problem: `bundling failed: ${err instanceof Error ? err.message : String(err)}`,
          };
        }
      }),
    );
    const imports = new Map<string, number[]>();
    const readies = new Map<string, number[]>();
    const firsts = new Map<string, number[]>();
    const seconds = new Map<string, number[]>();
    const extra = new Map<string, Map<string, number[]>>();
    const record = (figure: string, name: string, value: number | undefined): void => {
      if (value === undefined) return;
      const byName = extra.get(figure) ?? new Map<string, number[]>();
      extra.set(figure, byName);
      push(byName, name, value);
    };
    const statuses = new Map<string, Map<string, number>>();
    const calls = new Map<string, Map<string, number>>();
    const problems = new Map<string, string>();
    for (let round = 1; round <= runs; round++) {
      progress(`cold start: round ${round} of ${runs}`);
      for (const { candidate, dir, env, problem } of prepared) {
        if (problem !== undefined || problems.has(candidate.name)) continue;
        const before = allCalls();
        const result = await probeOnce(probe, dir, env);
        const seen = calls.get(candidate.name) ?? new Map<string, number>();
        for (const [operation, count] of allCalls()) {
          const delta = count - (before.get(operation) ?? 0);
          if (delta > 0) seen.set(operation, (seen.get(operation) ?? 0) + delta);
        }
        calls.set(candidate.name, seen);
        if (typeof result === 'string') {
          problems.set(candidate.name, result);
          continue;
        }
        push(imports, candidate.name, result.importMs);
        push(readies, candidate.name, result.readyMs);
        record('initCpuMs', candidate.name, result.initCpuMs);
        // A request that did not get the status its row expects is counted under its status, never timed as a success.
        const expected = expectedStatus(candidate.name);
        const timed = (r: RequestFigure | undefined): r is RequestFigure =>
          r !== undefined && (expected === undefined || r.status === expected);
        const { first, second } = result;
        if (timed(first)) {
          push(firsts, candidate.name, first.ms);
          record('firstAnsweredMs', candidate.name, first.answeredMs);
          record('firstCpuMs', candidate.name, first.cpuMs);
        }
        if (timed(second)) {
          push(seconds, candidate.name, second.ms);
          record('secondCpuMs', candidate.name, second.cpuMs);
        }
        const tally = statuses.get(candidate.name) ?? new Map<string, number>();
        statuses.set(candidate.name, tally);
        for (const r of [first, second])
          if (r !== undefined) tally.set(String(r.status), (tally.get(String(r.status)) ?? 0) + 1);
      }
    }
    const figures = prepared.map(({ candidate, size, compileCache, problem }): BundleColdStart => {
      const importMs = spread(imports.get(candidate.name) ?? []);
      const readyMs = spread(readies.get(candidate.name) ?? []);
      const firstMs = spread(firsts.get(candidate.name) ?? []);
      const secondMs = spread(seconds.get(candidate.name) ?? []);
      const more = Object.fromEntries(
        ['initCpuMs', 'firstAnsweredMs', 'firstCpuMs', 'secondCpuMs'].flatMap((figure) => {
          const value = spread(extra.get(figure)?.get(candidate.name) ?? []);
          return value === undefined ? [] : [[figure, value]];
        }),
      ) as Pick<BundleColdStart, 'initCpuMs' | 'firstAnsweredMs' | 'firstCpuMs' | 'secondCpuMs'>;
      const status = statusText(statuses.get(candidate.name));
      const done = imports.get(candidate.name)?.length ?? 0;
      const perRun = Object.fromEntries(
        [...(calls.get(candidate.name) ?? [])].map(([operation, count]) => [operation, count / Math.max(1, done)]),
      );
      const failed = problem ?? problems.get(candidate.name);
      return {
        name: candidate.name,
        ...(size === undefined ? {} : { size }),
        ...(importMs === undefined ? {} : { importMs }),
        ...(readyMs === undefined ? {} : { readyMs }),
        ...(firstMs === undefined ? {} : { firstMs }),
        ...(secondMs === undefined ? {} : { secondMs }),
        ...more,
        ...(status === undefined ? {} : { status }),
        compileCache,
        callsAtInit: perRun,
        ...(failed === undefined ? {} : { failed }),
      };
    });
    const [hello, floor, floorCached, control, ...functions] = figures;
    if (hello === undefined || floor === undefined || floorCached === undefined || control === undefined)
      throw new Error('cold start: the baseline bundles are missing');
    const helloReady = hello.readyMs?.median;
    const floorReady = floor.readyMs?.median;
    const versusHello = (row: BundleColdStart): BundleColdStart =>
      row.readyMs === undefined || helloReady === undefined || floorReady === undefined
        ? row
        : { ...row, readyVsHello: row.readyMs.median / helloReady, readyVsFloor: row.readyMs.median / floorReady };
    const controlCalls = control.callsAtInit;
    return {
      runs,
      settleMs: SETTLE_MS,
      node: PROBE_NODE.version,
      hello,
      floor: versusHello(floor),
      functions: [floorCached, ...functions].map(versusHello),
      control: {
        ...versusHello(control),
        recorderSeesCalls:
          (controlCalls['dynamodb:DescribeTable'] ?? 0) >= 1 &&
          (controlCalls['secretsmanager:GetSecretValue'] ?? 0) >= 1,
      },
    };
  } finally {
    for (const close of closers) await close();
    rmSync(root, { recursive: true, force: true });
    unregister();
  }
}
