/**
 * How every function's code is bundled and started, as data without CDK: GatewayFunction (the stack) passes these to
 * NodejsFunction's esbuild, and the benchmark's cold-start measurement bundles with the same values.
 */

/** Bundled ESM has no `require`; CJS dependencies that call it get one. Aliased so it cannot clash with app code. */
export const REQUIRE_BANNER =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

/** esbuild settings of every function bundle (ESM; nothing external: the AWS SDK is inside the bundle). */
export const FUNCTION_BUNDLING = {
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: REQUIRE_BANNER,
} as const;

/** The file NodejsFunction writes an ESM bundle to. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The CloudWatch namespace of the functions' EMF metrics (POWERTOOLS_METRICS_NAMESPACE) in the default stack; a stack
 * of another name has its own (lib/deploy-settings.ts), set on its functions and read by its dashboard and alarms.
 */
export const METRICS_NAMESPACE = 'LLMGateway';
/** Powertools' service name (POWERTOOLS_SERVICE_NAME): the `service` dimension of every metric, and of every log line. */
export const SERVICE_NAME = 'llm-gateway';

/** The environment every function starts with (stack traces through the source maps, Powertools' names). */
export const FUNCTION_ENVIRONMENT = {
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
} as const;
