import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_FILE, functionBuildOptions } from '../lib/function-bundle.js';

export interface BundleSize {
  /** index.mjs, the entry chunk (what Node reads and compiles at init), bytes. */
  readonly bytes: number;
  /** Every .mjs file of the bundle: the entry and the chunks it imports on first use, bytes. */
  readonly totalBytes: number;
  /** How many files that is. */
  readonly files: number;
  /** All .mjs files deflated (about what they weigh in the deployment zip), bytes. */
  readonly deflatedBytes: number;
  /** The .mjs.map files, bytes (shipped too: read on an unexpected error only, lambdas/runtime/source-stack.ts). */
  readonly mapBytes: number;
  /** What takes the most room in the entry chunk: npm packages (or the project's folders), bytes, largest first. */
  readonly largest: readonly { readonly source: string; readonly bytes: number }[];
}

/**
 * The stack's build of one entry (lib/function-bundle.ts functionBuildOptions: split into index.mjs and chunks) into
 * `outdir`; without `builtinAliases`, Node builtins imported as ESM (NodejsFunction's default).
 */
export async function bundle(entry: string, outdir: string, builtinAliases = true): Promise<BundleSize> {
  const result = await build({
    ...functionBuildOptions(entry, outdir, builtinAliases ? undefined : {}),
    metafile: true,
  });
  const bySource = new Map<string, number>();
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith(`/${BUNDLE_FILE}`)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const source = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(0, 2).join('/');
      bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
    }
  }
  const largest = [...bySource]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  const files = readdirSync(outdir);
  const code = files.filter((name) => name.endsWith('.mjs')).map((name) => readFileSync(join(outdir, name)));
  return {
    bytes: statSync(join(outdir, BUNDLE_FILE)).size,
    totalBytes: code.reduce((sum, buffer) => sum + buffer.length, 0),
    files: code.length,
    deflatedBytes: code.reduce((sum, buffer) => sum + deflateRawSync(buffer, { level: 9 }).length, 0),
    mapBytes: files
      .filter((name) => name.endsWith('.mjs.map'))
      .reduce((sum, name) => sum + statSync(join(outdir, name)).size, 0),
    largest,
  };
}
