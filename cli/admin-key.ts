import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './errors.js';

/** Where the local gateway writes the admin key it generates, relative to its data directory. */
export const ADMIN_KEY_FILE = 'local-admin-key';
export const DEFAULT_DATA_DIR = '.gateway-data';

type Env = Readonly<Record<string, string | undefined>>;

/** The local admin key: GATEWAY_ADMIN_KEY, else `<GATEWAY_DATA_DIR or .gateway-data>/local-admin-key` (from `cwd`). */
export function readAdminKey(env: Env, cwd: string): string {
  const fromEnv = env.GATEWAY_ADMIN_KEY?.trim();
  if (fromEnv) return fromEnv;
  const file = resolve(cwd, env.GATEWAY_DATA_DIR || DEFAULT_DATA_DIR, ADMIN_KEY_FILE);
  let fromFile: string;
  try {
    fromFile = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CliError(`cannot read the admin key from ${file}`);
    fromFile = '';
  }
  if (fromFile) return fromFile;
  throw new CliError(
    `no admin key: set GATEWAY_ADMIN_KEY, or start the local gateway (\`npm start\`), which writes it to ${file}`,
  );
}
