import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/paths.js';

/** `npm start`'s script, as package.json has it: `node [flags…] bin/start.mjs`. */
const START_SCRIPT = /^node((?:\s+--[\w-]+(?:=\S+)?)*)\s+bin\/start\.mjs$/;

/**
 * The node flags `npm start` gives the local gateway (package.json `scripts.start`), so the benchmark measures the
 * gateway as `npm start` runs it. A start script of another shape is an error: the bench would measure something else.
 */
export function startNodeArgs(packageJson = readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')): string[] {
  const scripts = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts ?? {};
  const match = START_SCRIPT.exec((scripts.start ?? '').trim());
  if (match === null)
    throw new Error(`package.json's start script is not "node [flags] bin/start.mjs": ${scripts.start}`);
  return (match[1] ?? '').split(/\s+/).filter((arg) => arg !== '');
}
