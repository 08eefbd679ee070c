import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING } from '../../lib/function-bundle.js';
import { handlerEntry, REPO_ROOT } from '../../lib/paths.js';

// The chat function writes its X-Ray subsegments itself (lambdas/observability/upstream-tracer.ts): its bundle holds
// no X-Ray SDK, whose load cost ~15-25 ms of init and whose context (cls-hooked) put async hooks on every promise.

const XRAY_PACKAGES = /node_modules\/(aws-xray-sdk-core|cls-hooked|@aws-lambda-powertools\/tracer)\//;

/** The npm packages of the X-Ray SDK among a bundle's inputs (NodejsFunction's esbuild settings, as bench/bundle-size.ts). */
async function xrayInputs(outdir: string, entry: Pick<BuildOptions, 'entryPoints' | 'stdin'>): Promise<string[]> {
  const { metafile } = await build({
    ...entry,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLING.target,
    outfile: join(outdir, BUNDLE_FILE),
    minify: FUNCTION_BUNDLING.minify,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...FUNCTION_BUNDLING.alias },
    absWorkingDir: REPO_ROOT,
    metafile: true,
    logLevel: 'error',
  });
  const packages = Object.keys(metafile.inputs).flatMap((input) => XRAY_PACKAGES.exec(input)?.[1] ?? []);
  return [...new Set(packages)].sort();
}

describe('no X-Ray SDK in the chat bundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-xray-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the chat bundle holds neither aws-xray-sdk-core, cls-hooked nor Powertools Tracer', async () => {
    expect(await xrayInputs(dir, { entryPoints: [handlerEntry('chat')] })).toEqual([]);
  }, 120_000);

  it('the control: a module that imports Powertools Tracer brings all three into its bundle', async () => {
    const stdin = {
      contents: "export * from '@aws-lambda-powertools/tracer';",
      resolveDir: REPO_ROOT,
      loader: 'ts' as const,
    };
    expect(await xrayInputs(dir, { stdin })).toEqual([
      '@aws-lambda-powertools/tracer',
      'aws-xray-sdk-core',
      'cls-hooked',
    ]);
  }, 120_000);
});
