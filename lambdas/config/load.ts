import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { serviceUnavailable } from '../core/errors.js';
import { compilePolicies } from '../policies/compile.js';
import { jsonPath } from './json-path.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';

export { jsonPath } from './json-path.js';

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(`Invalid gateway configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Where the configuration lives: GATEWAY_CONFIG, else beside the Lambda bundle, else the working directory. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GATEWAY_CONFIG) return resolve(env.GATEWAY_CONFIG);
  return join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'gateway.config.json');
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `${jsonPath(issue.path)}: unknown ${issue.keys.length > 1 ? 'keys' : 'key'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return `${jsonPath(issue.path)}: ${issue.message}`;
  });
}

/** Parses and validates configuration text; `file` only names it in messages. */
export function parseConfig(text: string, file: string): GatewayConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  // Each plan's policies compiled once, here (deny rules, detector lists), so no request pays for it.
  for (const plan of Object.values(result.data.plans)) if (plan.policies !== undefined) compilePolicies(plan.policies);
  return result.data;
}

export function loadConfigFile(file: string = configPath()): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  return parseConfig(text, file);
}

type Loaded = { ok: true; config: GatewayConfig } | { ok: false; error: ConfigError };
let loaded: Loaded | undefined;

/**
 * The configuration of this process, read once. A broken file does not crash the module import (the Lambda would
 * then fail without a request id); it is reported by /health/ready and by every handler that needs it.
 */
export function gatewayConfig(): Loaded {
  if (loaded === undefined) {
    try {
      loaded = { ok: true, config: loadConfigFile() };
    } catch (err) {
      loaded = { ok: false, error: err instanceof ConfigError ? err : new ConfigError(configPath(), [String(err)]) };
    }
  }
  return loaded;
}

/** The configuration for a handler that cannot work without it: a 503 pointing at /health/ready when it is broken. */
export function requireConfig(): GatewayConfig {
  const loaded = gatewayConfig();
  if (!loaded.ok)
    throw serviceUnavailable('The gateway configuration is invalid; see /health/ready.', 'config_invalid');
  return loaded.config;
}

/** For tests and the local server, which load the configuration themselves. */
export function setGatewayConfig(config: GatewayConfig): void {
  loaded = { ok: true, config };
}
