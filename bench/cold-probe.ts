import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_FILE, COMPILE_CACHE_DIR, RUNTIME_NODE } from '../lib/function-bundle.js';
import { REPO_ROOT } from '../lib/paths.js';

/** The Node the bundles run under: the Lambda runtime's major (the node@22 devDependency), else this one. */
export const PROBE_NODE: { readonly path: string; readonly version: string } = existsSync(RUNTIME_NODE)
  ? { path: RUNTIME_NODE, version: execFileSync(RUNTIME_NODE, ['--version'], { encoding: 'utf8' }).trim() }
  : { path: process.execPath, version: process.version };

export interface RequestFigure {
  /** Until the handler resolved (billed), until the response ended (the client's wait), CPU time; ms. */
  readonly ms: number;
  readonly answeredMs?: number;
  readonly cpuMs?: number;
  readonly status: number | string;
}

/**
 * The statuses a row's requests got, by count: `200` when every request got it; else each with its count
 * (`200 ×5/502 ×1`), so that a failing run shows.
 */
export function statusText(tally: ReadonlyMap<string, number> | undefined): string | undefined {
  if (tally === undefined || tally.size === 0) return undefined;
  if (tally.size === 1) return [...tally.keys()].join('');
  return [...tally].map(([status, count]) => `${status} ×${count}`).join('/');
}

export interface ProbeResult {
  readonly importMs: number;
  readonly readyMs: number;
  /** CPU time of the process (all threads) until the import resolved, ms. */
  readonly initCpuMs?: number;
  readonly first?: RequestFigure;
  readonly second?: RequestFigure;
}

function run(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(PROBE_NODE.path, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (err = (err + text).slice(-2000)));
    child.on('error', (e) => resolve({ code: null, out, err: e.message }));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** The compile cache of the bundle in `dir`, built as the stack builds it (lib/compile-cache-build.mjs): built or not. */
export async function buildCacheFor(dir: string): Promise<boolean> {
  const script = join(REPO_ROOT, 'lib', 'compile-cache-build.mjs');
  await run([script, dir], dir, { PATH: process.env.PATH ?? '/usr/bin:/bin' });
  return existsSync(join(dir, COMPILE_CACHE_DIR));
}

/** One fresh `node <probe> <bundle>`: its JSON line, or why there is none. */
export async function probeOnce(
  probe: string,
  dir: string,
  env: Record<string, string>,
): Promise<ProbeResult | string> {
  const { code, out, err } = await run([probe, join(dir, BUNDLE_FILE)], dir, env);
  const line = out.trim().split('\n').pop() ?? '';
  try {
    const parsed = JSON.parse(line) as ProbeResult & { handler: string };
    if (parsed.handler !== 'function') return `the bundle exports no handler function (${parsed.handler})`;
    return parsed;
  } catch {
    return `the probe exited ${code ?? '?'} without its figures: ${(err || out).trim().slice(-500)}`;
  }
}
