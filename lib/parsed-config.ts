import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile } from '../lambdas/config/load.js';

/**
 * The configuration in its parsed form: validated by the schema (the one source of its defaults) and written back as
 * JSON with every default applied. The functions read it without zod (lambdas/config/parsed-config.ts), told so by
 * GATEWAY_CONFIG_FORM (FUNCTION_ENVIRONMENT).
 */
export function parsedConfigText(configFile: string): string {
  return JSON.stringify(loadConfigFile(configFile));
}

const written = new Map<string, string>();

/**
 * Writes the parsed form of `configFile` into `dir` (the CDK output directory) once per synth and returns its path, for
 * the functions' bundles to copy as their gateway.config.json. Named by its content's hash: stacks of different
 * configurations in one app do not share a file.
 */
export function parsedConfigFile(configFile: string, dir: string): string {
  const key = `${configFile}\0${dir}`;
  const known = written.get(key);
  if (known !== undefined) return known;
  const text = parsedConfigText(configFile);
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `gateway.config.parsed-${hash}.json`);
  writeFileSync(file, text);
  written.set(key, file);
  return file;
}
