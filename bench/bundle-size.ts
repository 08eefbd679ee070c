import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { BUNDLE_FILE, functionBuildOptions } from '../lib/function-bundle.js';

export interface BundleSize {
  /** What Node reads and compiles at init: index.mjs and the chunks it imports statically, bytes. */
  readonly bytes: number;
  /** Every .mjs file of the bundle: the entry and the chunks it imports on first use, bytes. */
  readonly totalBytes: number;
  /** How many files that is. */
  readonly files: number;
  /** All .mjs files deflated (about what they weigh in the deployment zip), bytes. */
  readonly deflatedBytes: number;
  /** The .mjs.map files, bytes (shipped too: read on an unexpected error only, lambdas/runtime/source-stack.ts). */
  readonly mapBytes: number;
  /** What takes the most room in those files: npm packages (or the project's folders), bytes, largest first. */
  readonly largest: readonly { readonly source: string; readonly bytes: number }[];
}

/** The output files Node reads at init (metafile paths): the entry index.mjs and the chunks it imports statically. */
export function filesAtInit(metafile: Metafile): Set<string> {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((file) => file.endsWith(`/${BUNDLE_FILE}`));
  const seen = new Set<string>();
  const todo = entry === undefined ? [] : [entry];
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of outputs[file]?.imports ?? [])
      if (imported.kind === 'import-statement' && imported.path in outputs) todo.push(imported.path);
  }
  return seen;
}

/**
 * The stack's build of one entry (lib/function-bundle.ts functionBuildOptions: split into index.mjs and chunks) into
 * `outdir`; without `asTheStackBuilds`, NodejsFunction's defaults (the baselines): one file, Node builtins as ESM.
 */
export async function bundle(entry: string, outdir: string, asTheStackBuilds = true): Promise<BundleSize> {
  const options = functionBuildOptions(entry, outdir, asTheStackBuilds ? undefined : {});
  const result = await build({ ...options, splitting: asTheStackBuilds, metafile: true });
  const outputs = result.metafile.outputs;
  const atInit = filesAtInit(result.metafile);
  const bySource = new Map<string, number>();
  for (const file of atInit) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs[file]?.inputs ?? {})) {
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
    bytes: [...atInit].reduce((sum, file) => sum + (outputs[file]?.bytes ?? 0), 0),
    totalBytes: code.reduce((sum, buffer) => sum + buffer.length, 0),
    files: code.length,
    deflatedBytes: code.reduce((sum, buffer) => sum + deflateRawSync(buffer, { level: 9 }).length, 0),
    mapBytes: files
      .filter((name) => name.endsWith('.mjs.map'))
      .reduce((sum, name) => sum + statSync(join(outdir, name)).size, 0),
    largest,
  };
}
