import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { compilePolicies } from '../policies/compile.js';
import { ConfigError } from './config-error.js';
import { configPath, useValidatingReader } from './current.js';
import { jsonPath } from './json-path.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';

export { ConfigError } from './config-error.js';
export { configPath, gatewayConfig, requireConfig, setGatewayConfig } from './current.js';
export { jsonPath } from './json-path.js';

/**
 * The configuration validated by its schema (zod): at synth (bin/app.ts), by `npm start` and by tests. The functions
 * in Lambda read the parsed form written at synth instead (current.ts, parsed-config.ts), without zod.
 */

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

useValidatingReader((file) => loadConfigFile(file));
