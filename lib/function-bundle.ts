import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { CONFIG_FORM_ENV, PARSED_FORM } from '../lambdas/config/parsed-config.js';
import { REPO_ROOT } from './paths.js';

/**
 * How every function's code is bundled and started, as data without CDK: GatewayFunction (the stack) rebuilds
 * NodejsFunction's bundle with functionBuildOptions (split into chunks), and the benchmark's cold-start measurement
 * and the bundle tests build with the same options.
 */

/** Bundled ESM has no `require`; CJS dependencies that call it get one. Aliased so it cannot clash with app code. */
export const REQUIRE_BANNER =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

/**
 * Node builtins the bundle takes as CommonJS (through `process.getBuiltinModule`, lambdas/runtime/builtins/): an ESM
 * import of `node:http` or `node:https` makes Node build the builtin's ESM facade at init, which reads every export,
 * and its `WebSocket`, `MessageEvent` and `CloseEvent` getters load the whole of Node's bundled undici (~15–30 ms of
 * init on this machine for something no function uses). Paths relative to the repository root (esbuild's working
 * directory).
 */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = Object.fromEntries(
  ['http', 'https'].flatMap((name) => {
    const shim = `./lambdas/runtime/builtins/${name}.cjs`;
    return [
      [name, shim],
      [`node:${name}`, shim],
    ];
  }),
);

/** BUILTIN_ALIASES as esbuild's CLI takes them (NodejsFunction's `esbuildArgs: { '--alias': … }`). */
export const builtinAliasArgs = (): string[] => Object.entries(BUILTIN_ALIASES).map(([from, to]) => `${from}=${to}`);

/** esbuild settings of every function bundle (ESM; nothing external: the AWS SDK is inside the bundle). */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: REQUIRE_BANNER,
  alias: BUILTIN_ALIASES,
} as const;

/** A function's entry chunk (the handler `index.handler`); the other files are chunks (CHUNK_PREFIX…) it imports. */
export const BUNDLE_FILE = 'index.mjs';
/** Every other file esbuild writes: code shared by the entry and a dynamic import, or reached only by one. */
export const CHUNK_PREFIX = 'chunk-';

/**
 * The one esbuild build of a function (the stack through lib/split-bundle.mjs, the bench and the tests call esbuild
 * with it): code splitting, so what the handler only reaches through `import()` (provider SDKs, zod schemas, the
 * EventBridge client, config/load.ts) sits in chunks Node reads and compiles when first imported, not at init. Plain
 * JSON, so it can be handed to a process on its command line. `alias` replaceable for the bench's baselines.
 */
export function functionBuildOptions(
  entry: string,
  outdir: string,
  alias: Readonly<Record<string, string>> = FUNCTION_BUNDLING.alias,
): BuildOptions {
  return {
    entryPoints: [{ in: entry, out: BUNDLE_FILE.replace(/\.mjs$/, '') }],
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLING.target,
    outdir,
    chunkNames: `${CHUNK_PREFIX}[hash]`,
    outExtension: { '.js': '.mjs' },
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    sourcesContent: FUNCTION_BUNDLING.sourcesContent,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    alias: { ...alias },
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  };
}

/**
 * The shell command that replaces NodejsFunction's single-file bundle in `outputDir` with the split build of
 * `entry` (NodejsFunction passes esbuild `--outfile`, which cannot split).
 */
export function splitBundleCommand(entry: string, outputDir: string, node = process.execPath): string {
  const script = join(REPO_ROOT, 'lib', 'split-bundle.mjs');
  return [node, script, JSON.stringify(functionBuildOptions(entry, outputDir))].map(shellQuote).join(' ');
}

/** The Lambda runtime's Node major on this machine: the node@22 devDependency. */
export const RUNTIME_NODE = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');

/** Node's name (`process.arch`) of a Lambda architecture (`Architecture.name`). */
const NODE_ARCH: Readonly<Record<string, string>> = { arm64: 'arm64', x86_64: 'x64' };

/**
 * The shell commands that build a bundle's compile cache after bundling (lib/compile-cache-build.mjs under the node@22
 * devDependency, keyed for /var/task), or none when this machine's CPU is not the function's: V8 refuses a cache of
 * another architecture, so shipping one would only add bytes. A function built on x64 for arm64 starts without one.
 */
export function compileCacheCommands(outputDir: string, lambdaArchitecture: string, hostArch = process.arch): string[] {
  if (NODE_ARCH[lambdaArchitecture] !== hostArch) return [];
  const script = join(REPO_ROOT, 'lib', 'compile-cache-build.mjs');
  return [[RUNTIME_NODE, script, outputDir, LAMBDA_TASK_ROOT].map(shellQuote).join(' ')];
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/**
 * The CloudWatch namespace of the functions' EMF metrics (POWERTOOLS_METRICS_NAMESPACE) in the default stack; a stack
 * of another name has its own (lib/deploy-settings.ts), set on its functions and read by its dashboard and alarms.
 */
export const METRICS_NAMESPACE = 'LLMGateway';
/** Powertools' service name (POWERTOOLS_SERVICE_NAME): the `service` dimension of every metric, and of every log line. */
export const SERVICE_NAME = 'llm-gateway';

/** Where Lambda unpacks a function's code (read-only at run time). */
export const LAMBDA_TASK_ROOT = '/var/task';
/** The V8 compile cache inside a bundle (lib/compile-cache-build.mjs writes it). */
export const COMPILE_CACHE_DIR = '.cache';

/**
 * The environment every function starts with: Node's compile cache read from the bundle (a missing or mismatched
 * cache is ignored), the configuration's parsed form (read without zod: lib/parsed-config.ts), Powertools' names. No `--enable-source-maps`: loading the map cost 20–47 ms of every init; an
 * unexpected error's stack is mapped when it is logged (lambdas/runtime/source-stack.ts).
 */
export const FUNCTION_ENVIRONMENT = {
  NODE_COMPILE_CACHE: `${LAMBDA_TASK_ROOT}/${COMPILE_CACHE_DIR}`,
  [CONFIG_FORM_ENV]: PARSED_FORM,
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
} as const;
