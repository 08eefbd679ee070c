import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING, functionBuildOptions, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { handlerEntry } from '../../lib/paths.js';

/**
 * The stack's build (lib/function-bundle.ts functionBuildOptions, split into index.mjs and chunks); `alias` replaceable
 * for the control. Returns the code of every file.
 */
async function bundleFunction(name: string, outdir: string, alias: Record<string, string> = FUNCTION_BUNDLING.alias) {
  await build({ ...functionBuildOptions(handlerEntry(name), outdir, alias), logLevel: 'error' });
  return readdirSync(outdir)
    .filter((file) => file.endsWith('.mjs'))
    .map((file) => readFileSync(join(outdir, file), 'utf8'))
    .join('\n');
}

/** Imports the bundle and its chunks in a fresh Node (the Lambda runtime's major): whether Node loaded its undici. */
function undiciLoaded(dir: string): boolean {
  const script = [
    'globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };',
    `const m = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE)).href)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
    // And every chunk, as the requests that need them would (a chunk that fails outside Lambda still loaded its imports).
    `for (const f of ${JSON.stringify(readdirSync(dir).filter((file) => file.startsWith('chunk-') && file.endsWith('.mjs')))})`,
    `  await import(${JSON.stringify(pathToFileURL(dir).href)} + '/' + f).catch(() => undefined);`,
    "console.log(process.moduleLoadList.some((name) => name.includes('undici')));",
  ].join('\n');
  const run = spawnSync(RUNTIME_NODE, ['--input-type=module', '-e', script], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      LAMBDA_TASK_ROOT: dir,
      AWS_REGION: 'us-east-1',
    },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the bundle did not start: ${run.stderr}`);
  return run.stdout.trim().split('\n').pop() === 'true';
}

describe('Node builtins in the function bundles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-builtins-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the health bundle takes node:http and node:https as CommonJS: no ESM facade, no undici at init or in any chunk', async () => {
    const code = await bundleFunction('health', dir);
    expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    expect(undiciLoaded(dir)).toBe(false);
  }, 120_000);

  it('the control: without the aliases an ESM import of node:http loads undici', async () => {
    const code = await bundleFunction('health', dir, {});
    expect(code).toMatch(/from\s*["'](node:)?https?["']/);
    expect(undiciLoaded(dir)).toBe(true);
  }, 120_000);

  it('the chat bundle is ASCII only in every file (a non-ASCII character makes V8 hold the whole source as two-byte text)', async () => {
    const code = await bundleFunction('chat', dir);
    expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    expect([...code.matchAll(/[^\t\n\r -~]/g)].map((match) => match[0])).toEqual([]);
  }, 120_000);
});
