import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { functionBuildOptions } from '../../lib/function-bundle.js';
import { handlerEntry, REPO_ROOT } from '../../lib/paths.js';

// The chat function writes its X-Ray subsegments itself (lambdas/observability/upstream-tracer.ts): no file of its
// bundle (entry or chunk) holds the X-Ray SDK, whose load cost ~15-25 ms of init and whose context (cls-hooked) put
// async hooks on every promise of the process.

const XRAY_PACKAGES = /node_modules\/(aws-xray-sdk-core|cls-hooked|@aws-lambda-powertools\/tracer)\//;

/** The X-Ray SDK's packages among the inputs of every file of a build. */
async function xrayInputs(options: BuildOptions): Promise<string[]> {
  const { metafile } = await build({ ...options, metafile: true, logLevel: 'error' });
  const packages = Object.values(metafile.outputs).flatMap((output) =>
    Object.keys(output.inputs).flatMap((input) => XRAY_PACKAGES.exec(input)?.[1] ?? []),
  );
  return [...new Set(packages)].sort();
}

describe('no X-Ray SDK in the chat bundle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-xray-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('no file of the chat bundle holds aws-xray-sdk-core, cls-hooked or Powertools Tracer', async () => {
    expect(await xrayInputs(functionBuildOptions(handlerEntry('chat'), dir))).toEqual([]);
  }, 120_000);

  it('the control: a module that imports Powertools Tracer brings all three into its bundle', async () => {
    const { entryPoints: _entry, splitting: _splitting, ...options } = functionBuildOptions(handlerEntry('chat'), dir);
    const stdin = {
      contents: "export * from '@aws-lambda-powertools/tracer';",
      resolveDir: REPO_ROOT,
      loader: 'ts' as const,
    };
    expect(await xrayInputs({ ...options, stdin })).toEqual([
      '@aws-lambda-powertools/tracer',
      'aws-xray-sdk-core',
      'cls-hooked',
    ]);
  }, 120_000);
});
