/**
 * `npm start`: bundles the local gateway (bin/local.ts and the store's worker thread) with esbuild into
 * .local-build/ — the application's TypeScript only; packages stay in node_modules — and runs it in this process.
 * The bundle instead of the sources through tsx: tsx wraps every function it compiles to keep its name, a cost paid
 * on every request (a few percent of the gateway's CPU), and compiles each file at start (the bundle starts ~0.5 s
 * sooner). Each output file replaces the previous one atomically (write, then rename), so gateways started at the same
 * moment (tests, two local gateways sharing a store) never import a half-written file.
 */
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = fileURLToPath(new URL('../.local-build/', import.meta.url));
const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: { local: 'bin/local.ts', 'store-worker': 'local/store-worker.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  sourcemap: true,
  write: false,
  logLevel: 'warning',
});
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
process.setSourceMapsEnabled(true);
await import(new URL('../.local-build/local.mjs', import.meta.url).href);
