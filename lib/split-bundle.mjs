/**
 * `node lib/split-bundle.mjs <esbuild options as JSON>`: the split build of one function (lib/function-bundle.ts
 * functionBuildOptions), run by lib/function-construct.ts after NodejsFunction bundled, whose single-file bundle
 * (`--outfile`, which cannot split) it replaces: the entry and its map are removed first, then esbuild writes the
 * entry (index.mjs), its chunks and their maps into the same directory. A failed build fails the synthesis.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const [json] = process.argv.slice(2);
if (json === undefined) {
  process.stderr.write('usage: node lib/split-bundle.mjs <esbuild options as JSON>\n');
  process.exit(2);
}
const options = JSON.parse(json);
for (const file of ['index.mjs', 'index.mjs.map']) rmSync(join(options.outdir, file), { force: true });
await build(options);
