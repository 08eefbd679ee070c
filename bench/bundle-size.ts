import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_FILE, FUNCTION_BUNDLING } from '../lib/function-bundle.js';
import { REPO_ROOT } from '../lib/paths.js';

export interface BundleSize {
  /** index.mjs, bytes. */
  readonly bytes: number;
  /** index.mjs deflated (about what it weighs in the deployment zip), bytes. */
  readonly deflatedBytes: number;
  /** index.mjs.map, bytes (shipped too: read on an unexpected error only, lambdas/runtime/source-stack.ts). */
  readonly mapBytes: number;
  /** What takes the most room in index.mjs: npm packages (or the project's folders), bytes, largest first. */
  readonly largest: readonly { readonly source: string; readonly bytes: number }[];
}

/**
 * NodejsFunction's esbuild invocation for one entry (lib/function-construct.ts), into `outdir`/index.mjs; without
 * `builtinAliases`, NodejsFunction's defaults (Node builtins imported as ESM).
 */
export async function bundle(entry: string, outdir: string, builtinAliases = true): Promise<BundleSize> {
  const outfile = join(outdir, BUNDLE_FILE);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLING.target,
    outfile,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: builtinAliases ? { ...FUNCTION_BUNDLING.alias } : {},
    logLevel: 'warning',
    absWorkingDir: REPO_ROOT,
    metafile: true,
  });
  const code = readFileSync(outfile);
  const bySource = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...bySource]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  return {
    bytes: code.length,
    deflatedBytes: deflateRawSync(code, { level: 9 }).length,
    mapBytes: statSync(`${outfile}.map`).size,
    largest,
  };
}
