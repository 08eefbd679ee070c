import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';
import { functionBuildOptions, RUNTIME_NODE } from '../../lib/function-bundle.js';
import { REPO_ROOT } from '../../lib/paths.js';
import { sourceStack } from '../../lambdas/runtime/source-stack.js';

describe('an unexpected error’s stack without --enable-source-maps', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-stack-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('frames in a minified bundle are mapped to the source file and line through the map beside it', async () => {
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { withSourceStack } from ${JSON.stringify(join(REPO_ROOT, 'lambdas/runtime/source-stack.ts'))};`,
        'function failing(): never {',
        "  throw new Error('boom');",
        '}',
        'try { failing(); } catch (err) { console.log((withSourceStack(err) as Error).stack); }',
      ].join('\n'),
    );
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      outfile: join(dir, 'index.mjs'),
      logLevel: 'error',
    });
    const run = spawnSync(RUNTIME_NODE, [join(dir, 'index.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/entry\.ts:3:\d+/);
    expect(run.stdout).not.toMatch(/index\.mjs:1:/);
  }, 60_000);

  it('frames in a chunk of a split bundle are mapped through that chunk’s map', async () => {
    const failing = join(dir, 'failing.ts');
    writeFileSync(failing, ['export function failing(): never {', "  throw new Error('boom');", '}'].join('\n'));
    const entry = join(dir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { withSourceStack } from ${JSON.stringify(join(REPO_ROOT, 'lambdas/runtime/source-stack.ts'))};`,
        `try { (await import(${JSON.stringify(failing)})).failing(); }`,
        'catch (err) { console.log((withSourceStack(err) as Error).stack); }',
      ].join('\n'),
    );
    const out = join(dir, 'out');
    await build({ ...functionBuildOptions(entry, out), alias: {}, logLevel: 'error' });
    expect(readdirSync(out).filter((file) => file.startsWith('chunk-') && file.endsWith('.mjs.map'))).not.toEqual([]);
    const run = spawnSync(RUNTIME_NODE, [join(out, 'index.mjs')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/failing\.ts:2:\d+/);
    expect(run.stdout).not.toMatch(/chunk-\w+\.mjs:\d+:/);
  }, 60_000);

  it('a stack outside a bundle (tests, npm start) is left as it is', () => {
    const stack = 'Error: x\n    at f (/somewhere/else.ts:3:9)';
    expect(sourceStack(stack)).toBe(stack);
  });
});
