/**
 * Builds the V8 compile cache of one function bundle: `node lib/compile-cache-build.mjs <bundle dir> [<runtime dir>]`,
 * run with the Lambda runtime's Node major (the node@22 devDependency) by lib/function-construct.ts after bundling and
 * by the cold-start bench.
 *
 * It imports `<bundle dir>/index.mjs` once in a fresh process with NODE_COMPILE_CACHE=<bundle dir>/.cache (no AWS
 * endpoint reachable; the handler is not called) and lets Node write the cache at exit. Node 22 keys a cache entry by
 * the module's URL (crc32 of the type byte and the URL), so the entry is renamed to the key of
 * `file://<runtime dir>/index.mjs` (Lambda: /var/task). Node checks the source's hash and V8 its version, flags and
 * architecture when reading it: a cache that does not fit is ignored and the function compiles as without one.
 * Anything unexpected (the import fails, Node wrote no entry under the computed key) leaves no cache and says why on
 * stderr; the bundle is never touched and the exit code is 0.
 */
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';

/** The cache directory inside the bundle; FUNCTION_ENVIRONMENT's NODE_COMPILE_CACHE names it under /var/task. */
export const CACHE_DIR = '.cache';
const BUNDLE_FILE = 'index.mjs';
/** Node's CachedCodeType for an ES module (src/compile_cache.h). */
const ESM_TYPE = 1;

/** The name of Node 22's cache entry for the ES module at `url`. */
export function cacheKey(url) {
  return crc32(url, crc32(Buffer.from([ESM_TYPE])))
    .toString(16)
    .padStart(8, '0');
}

// Middy's streaming mode asks for the runtime's `awslambda` global at import; nothing else runs.
const RUNNER = [
  'globalThis.awslambda ??= {};',
  'globalThis.awslambda.streamifyResponse ??= (h) => h;',
  'globalThis.awslambda.HttpResponseStream ??= { from: (s) => s };',
  'await import(process.env.COMPILE_CACHE_BUNDLE_URL);',
  'process.exit(0);',
].join('\n');

export function buildCompileCache(bundleDir, runtimeDir = bundleDir) {
  const dir = resolve(bundleDir);
  const cacheDir = join(dir, CACHE_DIR);
  const give = (why) => {
    rmSync(cacheDir, { recursive: true, force: true });
    process.stderr.write(`compile cache not built for ${dir}: ${why}\n`);
    return false;
  };
  rmSync(cacheDir, { recursive: true, force: true });
  const builtUrl = pathToFileURL(join(dir, BUNDLE_FILE)).href;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', RUNNER], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_COMPILE_CACHE: cacheDir,
      COMPILE_CACHE_BUNDLE_URL: builtUrl,
      LAMBDA_TASK_ROOT: dir,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'compile-cache',
      AWS_SECRET_ACCESS_KEY: 'compile-cache',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 60_000,
  });
  if (run.status !== 0) return give(`the bundle's import failed: ${String(run.stderr).trim().slice(-400)}`);
  const versions = existsSync(cacheDir) ? readdirSync(cacheDir) : [];
  const version = versions[0];
  if (versions.length !== 1 || version === undefined) return give(`Node wrote ${versions.length} cache directories`);
  const built = join(cacheDir, version, cacheKey(builtUrl));
  if (!existsSync(built)) return give(`no entry ${cacheKey(builtUrl)} (Node's cache key changed?)`);
  const target = join(cacheDir, version, cacheKey(pathToFileURL(join(runtimeDir, BUNDLE_FILE)).href));
  if (target !== built) renameSync(built, target);
  // Only the bundle's entry ships (not the runner's); readable by the function's user, as Lambda requires of a file.
  for (const name of readdirSync(join(cacheDir, version)))
    if (join(cacheDir, version, name) !== target) rmSync(join(cacheDir, version, name));
  chmodSync(target, 0o644);
  chmodSync(join(cacheDir, version), 0o755);
  chmodSync(cacheDir, 0o755);
  return true;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const [bundleDir, runtimeDir] = process.argv.slice(2);
  if (bundleDir === undefined) {
    process.stderr.write('usage: node lib/compile-cache-build.mjs <bundle dir> [<runtime dir>]\n');
    process.exit(2);
  }
  buildCompileCache(bundleDir, runtimeDir);
}
