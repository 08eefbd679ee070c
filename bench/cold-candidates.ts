import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configPath } from '../lambdas/config/load.js';
import { gatewayTable } from '../lambdas/store/tables.js';
import { FUNCTION_ENVIRONMENT, LAMBDA_TASK_ROOT } from '../lib/function-bundle.js';
import { functionSpecs, type FunctionSpec } from '../lib/function-specs.js';
import { handlerEntry, REPO_ROOT } from '../lib/paths.js';
import { parsedConfigText } from '../lib/parsed-config.js';
import { FAKE_SECRET_ARN } from './aws-recorder.js';
import { upstreamConfigText, type ColdUpstreams } from './cold-upstreams.js';
import { UPSTREAM_ROWS } from './processes/init-requests.js';

/** One row of the cold-start figures: a bundle, started in a fresh process per run. */
export interface Candidate {
  /** The row, and the probe's request (bench/processes/init-requests.ts). */
  readonly name: string;
  /** The function it is (AWS_LAMBDA_FUNCTION_NAME): its name unless the row is a variant of a function. */
  readonly functionName: string;
  readonly entry: string;
  readonly spec?: FunctionSpec;
  /**
   * Built as the stack builds the functions (on a machine of their architecture): split into chunks, with a compile
   * cache and Node's http/https taken as CommonJS (lib/function-bundle.ts); else with NodejsFunction's defaults (one
   * file, the baselines hello-world and sdk-floor).
   */
  readonly cache?: boolean;
  /** Its gateway.config.json, given its directory: the repository's in its parsed form unless said otherwise. */
  readonly config?: (dir: string) => string;
}

/**
 * The baselines, the control, every function of the stack (function-specs.ts), then the chat function again per
 * provider row: the same bundle, its configuration with an alias to that provider at its fake upstream.
 */
export function coldCandidates(upstreams: ColdUpstreams): Candidate[] {
  const chat = functionSpecs.chat;
  return [
    { name: 'hello-world', functionName: 'hello-world', entry: join(REPO_ROOT, 'bench/processes/hello-handler.ts') },
    { name: 'sdk-floor', functionName: 'sdk-floor', entry: join(REPO_ROOT, 'bench/processes/sdk-floor-handler.ts') },
    {
      name: 'sdk-floor+cache',
      functionName: 'sdk-floor+cache',
      entry: join(REPO_ROOT, 'bench/processes/sdk-floor-handler.ts'),
      cache: true,
    },
    {
      name: 'control',
      functionName: 'control',
      entry: join(REPO_ROOT, 'bench/processes/init-control.ts'),
      spec: { table: { describe: true }, providerSecret: 'read' },
    },
    ...Object.entries(functionSpecs).map(([name, spec]) => ({
      name,
      functionName: name,
      entry: handlerEntry(name),
      spec,
      cache: true,
    })),
    ...Object.keys(UPSTREAM_ROWS).map((name) => ({
      name,
      functionName: 'chat',
      entry: handlerEntry('chat'),
      spec: chat,
      cache: true,
      config: (dir: string) => upstreamConfigText(configPath(), upstreams.urls, dir),
    })),
  ];
}

const LAMBDA_ROOT = new RegExp(`^${LAMBDA_TASK_ROOT}(?=/|$)`);

/** What the stack gives a function besides its code: its files, the configuration, and its environment. */
export function functionEnvironment(candidate: Candidate, dir: string): Record<string, string> {
  const spec = candidate.spec;
  const env: Record<string, string> = {
    ...FUNCTION_ENVIRONMENT,
    AWS_LAMBDA_FUNCTION_NAME: candidate.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec?.memorySize ?? 256),
    BENCH_PROBE_REQUEST: candidate.name,
  };
  if (spec === undefined) return env;
  for (const [key, value] of Object.entries(env)) env[key] = value.replace(LAMBDA_ROOT, dir);
  for (const [key, value] of Object.entries(spec.environment ?? {})) env[key] = value.replace(LAMBDA_ROOT, dir);
  if (spec.table !== 'none') env[gatewayTable.envVar] = gatewayTable.id;
  if (spec.providerSecret === 'read') env.PROVIDER_SECRET_ARN = FAKE_SECRET_ARN;
  if (spec.usagePlans === 'manage') env.USAGE_PLAN_IDS = '{}';
  return env;
}

export function copyFiles(candidate: Candidate, dir: string): void {
  // The parsed form, as the stack writes it (lib/parsed-config.ts; FUNCTION_ENVIRONMENT says so).
  writeFileSync(join(dir, 'gateway.config.json'), candidate.config?.(dir) ?? parsedConfigText(configPath()));
  for (const file of candidate.spec?.files ?? []) {
    mkdirSync(dirname(join(dir, file.to)), { recursive: true });
    copyFileSync(file.from, join(dir, file.to));
  }
}
