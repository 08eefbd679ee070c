/**
 * Builds the V8 compile cache of one function bundle: `node lib/compile-cache-build.mjs <bundle dir> [<runtime dir>]`,
 * run with the Lambda runtime's Node major (the node@22 devDependency) by lib/function-construct.ts after bundling and
 * by the cold-start bench.
 *
 * It imports `<bundle dir>/index.mjs` and then every chunk beside it (`chunk-*.mjs`, which the entry imports on first
 * use: the first request that needs one reads it from the cache too) once in a fresh process with
 * NODE_COMPILE_CACHE=<bundle dir>/.cache (no AWS endpoint reachable; the handler is not called; evaluating a chunk
 * there is harmless) and lets Node write the cache at exit. Node 22 keys a cache entry by the module's URL (crc32 of
 * the type byte and the URL), so each file's entry is renamed to the key of `file://<runtime dir>/<file>` (Lambda:
 * /var/task). Node checks the source's hash and V8 its version, flags and
 * architecture when reading it: a cache that does not fit is ignored and the function compiles as without one.
 * Anything unexpected (an import fails, Node wrote no entry under a computed key) leaves no cache and says why on
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
/** The bundle's files: its entry first, then its chunks (lib/function-bundle.ts names them). */
const bundleFiles = (dir) => [
  BUNDLE_FILE,
  ...readdirSync(dir)
    .filter((name) => name.startsWith('chunk-') && name.endsWith('.mjs'))
    .sort(),
];
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
  'const [entry, ...chunks] = JSON.parse(process.env.COMPILE_CACHE_BUNDLE_URLS);',
  'await import(entry);',
  // A chunk is compiled before it is evaluated: one that throws here (outside Lambda) still has its entry.
  'for (const url of chunks) await import(url).catch(() => undefined);',
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
  const files = bundleFiles(dir);
  const builtUrl = (file) => pathToFileURL(join(dir, file)).href;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', RUNNER], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_COMPILE_CACHE: cacheDir,
      COMPILE_CACHE_BUNDLE_URLS: JSON.stringify(files.map(builtUrl)),
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
  const entries = join(cacheDir, version);
  const missing = files.filter((file) => !existsSync(join(entries, cacheKey(builtUrl(file)))));
  if (missing.length > 0)
    return give(`no entry for ${missing.join(', ')} (${cacheKey(builtUrl(missing[0]))}: Node's cache key changed?)`);
  // Through a temporary name each, so that renaming one file's entry never overwrites another's not yet renamed.
  for (const file of files) renameSync(join(entries, cacheKey(builtUrl(file))), join(entries, `${file}.entry`));
  const targets = new Set();
  for (const file of files) {
    const target = cacheKey(pathToFileURL(join(runtimeDir, file)).href);
    renameSync(join(entries, `${file}.entry`), join(entries, target));
    targets.add(target);
  }
  // Only the bundle's entries ship (not the runner's); readable by the function's user, as Lambda requires of a file.
  for (const name of readdirSync(entries)) if (!targets.has(name)) rmSync(join(entries, name));
  for (const target of targets) chmodSync(join(entries, target), 0o644);
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
