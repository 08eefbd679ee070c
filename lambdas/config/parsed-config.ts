import { readFileSync } from 'node:fs';
import { compilePolicies } from '../policies/compile.js';
import { ConfigError } from './config-error.js';
import type { GatewayConfig } from './schema.js';

/**
 * The environment variable that says the function's gateway.config.json is in its parsed form: validated at synth by
 * the schema (bin/app.ts), defaults applied, written by lib/parsed-config-file.ts. Read without zod.
 */
export const CONFIG_FORM_ENV = 'GATEWAY_CONFIG_FORM';
export const PARSED_FORM = 'parsed';

export const isParsedForm = (env: NodeJS.ProcessEnv = process.env): boolean => env[CONFIG_FORM_ENV] === PARSED_FORM;

/** The configuration in its parsed form, as written at synth: JSON, trusted as a GatewayConfig (no zod at init). */
export function readParsedConfig(file: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`]);
  }
  let config: GatewayConfig;
  try {
    config = JSON.parse(text) as GatewayConfig;
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  if (typeof config !== 'object' || config === null || typeof config.plans !== 'object')
    throw new ConfigError(file, ['not a parsed gateway configuration (written at synth)']);
  // Each plan's policies compiled once, here, as parseConfig does, so no request pays for it.
  for (const plan of Object.values(config.plans)) if (plan.policies !== undefined) compilePolicies(plan.policies);
  return config;
}
