import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { compileCacheCommands, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { REPO_ROOT } from '../../lib/paths.js';

/** Node 22's name of the cache entry of the ES module at `url` (crc32 of the type byte 1 and the URL). */
const cacheKey = (url: string): string =>
  crc32(url, crc32(Buffer.from([1])))
    .toString(16)
    .padStart(8, '0');

const BUILD = join(REPO_ROOT, 'lib', 'compile-cache-build.mjs');
const BUNDLE = 'export const handler = async () => ({ statusCode: 200, body: String(40 + 2) });\n';

/** Starts the bundle in `dir` as Lambda would (NODE_COMPILE_CACHE set) and reports what Node did with the cache. */
function start(dir: string, cacheDir = join(dir, '.cache')) {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); console.log((await m.handler()).body);`;
  return spawnSync(RUNTIME_NODE, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: { PATH: process.env.PATH, NODE_COMPILE_CACHE: cacheDir, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
    encoding: 'utf8',
  });
}

const entryFile = (dir: string): string => {
  const [version] = readdirSync(join(dir, '.cache'));
  const [entry] = readdirSync(join(dir, '.cache', version ?? ''));
  return join(dir, '.cache', version ?? '', entry ?? '');
};

describe('the compile cache a bundle ships', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-cache-'));
    writeFileSync(join(dir, 'index.mjs'), BUNDLE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const build = (runtimeDir = dir) => spawnSync(RUNTIME_NODE, [BUILD, dir, runtimeDir], { encoding: 'utf8' });

  it('is keyed for the directory the function runs in, and read from there', () => {
    expect(build().status).toBe(0);
    const started = start(dir);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
    expect(started.stderr).toMatch(/cache for file:.*index\.mjs was accepted/);
  }, 60_000);

  it('built for another directory (e.g. /var/task) it is only not found: the function starts', () => {
    expect(build('/var/task').status).toBe(0);
    const started = start(dir);
    expect(started.status).toBe(0);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
    expect(started.stderr).not.toMatch(/was accepted/);
  }, 60_000);

  it('a corrupt cache is rejected and the function starts', () => {
    expect(build().status).toBe(0);
    writeFileSync(entryFile(dir), 'not a V8 code cache at all');
    const started = start(dir);
    expect(started.status).toBe(0);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
    expect(started.stderr).not.toMatch(/was accepted/);
  }, 60_000);

  it('a cache of another Node version or architecture is not read and the function starts', () => {
    expect(build().status).toBe(0);
    const [version] = readdirSync(join(dir, '.cache'));
    renameSync(join(dir, '.cache', version ?? ''), join(dir, '.cache', 'v22.0.0-arm64-00000000-0'));
    const started = start(dir);
    expect(started.status).toBe(0);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
    expect(started.stderr).not.toMatch(/was accepted/);
  }, 60_000);

  it('no cache directory at all (a function built on another architecture) starts without one', () => {
    const started = start(dir, join(dir, 'missing', '.cache'));
    expect(started.status).toBe(0);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
  }, 60_000);

  it('a bundle that fails at import ships no cache and the build still succeeds', () => {
    writeFileSync(join(dir, 'index.mjs'), "throw new Error('init failed');\n");
    const built = build();
    expect(built.status).toBe(0);
    expect(built.stderr).toMatch(/compile cache not built/);
    expect(existsSync(join(dir, '.cache'))).toBe(false);
  }, 60_000);

  it('has an entry for every chunk, keyed for the runtime directory: a chunk imported on first use reads it', () => {
    writeFileSync(join(dir, 'chunk-ABC.mjs'), 'export const forty = 40;\n');
    writeFileSync(
      join(dir, 'index.mjs'),
      "export const handler = async () => ({ body: String((await import('./chunk-ABC.mjs')).forty + 2) });\n",
    );
    expect(build('/var/task').status).toBe(0);
    const [version] = readdirSync(join(dir, '.cache'));
    const names = readdirSync(join(dir, '.cache', version ?? '')).sort();
    const keys = ['index.mjs', 'chunk-ABC.mjs'].map((file) => cacheKey(`file:///var/task/${file}`)).sort();
    expect(names).toEqual(keys);
    // Built for this directory, the chunk's entry is accepted when the first request imports it.
    expect(build().status).toBe(0);
    const started = start(dir);
    expect(started.stdout.trim().split('\n').pop()).toBe('42');
    expect(started.stderr).toMatch(/cache for file:.*chunk-ABC\.mjs was accepted/);
  }, 60_000);

  it('is built only when this machine has the function’s architecture', () => {
    mkdirSync(join(dir, 'out'));
    expect(compileCacheCommands(join(dir, 'out'), 'arm64', 'x64')).toEqual([]);
    expect(compileCacheCommands(join(dir, 'out'), 'x86_64', 'arm64')).toEqual([]);
    const [command] = compileCacheCommands(join(dir, 'out'), 'arm64', 'arm64');
    expect(command).toContain('compile-cache-build.mjs');
    expect(command).toContain("'/var/task'");
    expect(compileCacheCommands(join(dir, 'out'), 'x86_64', 'x64')).toHaveLength(1);
  });
});
