import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { handlerEntry, REPO_ROOT } from '../../lib/paths.js';

/** NodejsFunction's esbuild settings (lib/function-construct.ts); `alias` replaceable for the control. */
async function bundleFunction(name: string, outdir: string, alias: Record<string, string> = FUNCTION_BUNDLING.alias) {
  await build({
    entryPoints: [handlerEntry(name)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLING.target,
    outfile: join(outdir, BUNDLE_FILE),
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias,
    absWorkingDir: REPO_ROOT,
    logLevel: 'error',
  });
  return readFileSync(join(outdir, BUNDLE_FILE), 'utf8');
}

/** Imports the bundle in a fresh Node (the Lambda runtime's major): whether Node loaded its bundled undici. */
function undiciLoadedAtInit(dir: string): boolean {
  const script = [
    'globalThis.awslambda = { streamifyResponse: (h) => h, HttpResponseStream: { from: (s) => s } };',
    `const m = await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_FILE)).href)});`,
    "if (typeof m.handler !== 'function') throw new Error('no handler');",
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

  it('the health bundle takes node:http and node:https as CommonJS: no ESM facade, no undici at init', async () => {
    const code = await bundleFunction('health', dir);
    expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    expect(undiciLoadedAtInit(dir)).toBe(false);
  }, 120_000);

  it('the control: without the aliases an ESM import of node:http loads undici at init', async () => {
    const code = await bundleFunction('health', dir, {});
    expect(code).toMatch(/from\s*["'](node:)?https?["']/);
    expect(undiciLoadedAtInit(dir)).toBe(true);
  }, 120_000);

  it('the chat bundle is ASCII only (a non-ASCII character makes V8 hold the whole source as two-byte text)', async () => {
    const code = await bundleFunction('chat', dir);
    expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    expect([...code.matchAll(/[^\t\n\r -~]/g)].map((match) => match[0])).toEqual([]);
  }, 120_000);
});
