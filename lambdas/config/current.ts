import { join, resolve } from 'node:path';
import { serviceUnavailable } from '../core/errors.js';
import { ConfigError } from './config-error.js';
import { CONFIG_FORM_ENV, isParsedForm, readParsedConfig } from './parsed-config.js';
import type { GatewayConfig } from './schema.js';

/**
 * The configuration of this process, without zod: in Lambda the file is in its parsed form (parsed-config.ts); where
 * it is not (`npm start`, tests), load.ts validates it with the schema and registers itself here as the reader.
 */

/** Where the configuration lives: GATEWAY_CONFIG, else beside the Lambda bundle, else the working directory. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GATEWAY_CONFIG) return resolve(env.GATEWAY_CONFIG);
  return join(env.LAMBDA_TASK_ROOT ?? process.cwd(), 'gateway.config.json');
}

type Loaded = { ok: true; config: GatewayConfig } | { ok: false; error: ConfigError };
type FileReader = (file: string) => GatewayConfig;

let loaded: Loaded | undefined;
let validatingReader: FileReader | undefined;

/** load.ts registers its validating reader (zod) as it loads. */
export function useValidatingReader(reader: FileReader): void {
  validatingReader = reader;
}

/**
 * load.ts, named by a variable so that esbuild leaves it out of every function bundle (the schema and zod): in Lambda
 * the configuration is in its parsed form and this import never runs; from the sources (`npm start`, tests) it loads.
 */
const VALIDATING_LOADER = './load.js';

/**
 * Makes gatewayConfig() able to read the file: nothing to do for the parsed form; otherwise load.ts (zod) is imported
 * once. The functions' pipeline awaits this before anything reads the configuration (runtime/gateway-function.ts).
 */
export async function prepareConfig(): Promise<void> {
  if (loaded !== undefined || validatingReader !== undefined || isParsedForm()) return;
  try {
    await import(VALIDATING_LOADER);
  } catch {
    // A bundle without the parsed form: gatewayConfig() reports it (no reader) on /health/ready and as a 503.
  }
}

/**
 * The configuration of this process, read once. A broken file does not crash the module import (the Lambda would
 * then fail without a request id); it is reported by /health/ready and by every handler that needs it.
 */
export function gatewayConfig(): Loaded {
  if (loaded !== undefined) return loaded;
  const file = configPath();
  const reader = isParsedForm() ? readParsedConfig : validatingReader;
  // Not cached: the reader may still come (prepareConfig).
  if (reader === undefined)
    return {
      ok: false,
      error: new ConfigError(file, [`not in its parsed form (${CONFIG_FORM_ENV}) and no validator loaded`]),
    };
  try {
    loaded = { ok: true, config: reader(file) };
  } catch (err) {
    loaded = { ok: false, error: err instanceof ConfigError ? err : new ConfigError(file, [String(err)]) };
  }
  return loaded;
}

/** The configuration for a handler that cannot work without it: a 503 pointing at /health/ready when it is broken. */
export function requireConfig(): GatewayConfig {
  const current = gatewayConfig();
  if (!current.ok)
    throw serviceUnavailable('The gateway configuration is invalid; see /health/ready.', 'config_invalid');
  return current.config;
}

/** For tests and the local server, which load the configuration themselves. */
export function setGatewayConfig(config: GatewayConfig): void {
  loaded = { ok: true, config };
}
