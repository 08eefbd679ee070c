import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DATA_DIR } from './admin-key.js';

/** Where the local gateway writes where it listens, relative to its data directory (local/endpoint-file.ts). */
export const ENDPOINT_FILE = 'local-gateway.json';

type Env = Readonly<Record<string, string | undefined>>;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The URL of the local gateway started from `cwd` (`npm start` writes `<GATEWAY_DATA_DIR or .gateway-data>/
 * local-gateway.json` and removes it at exit); undefined when there is none, or its process has gone (a crash).
 */
export function discoverLocalUrl(env: Env, cwd: string): string | undefined {
  const file = resolve(cwd, env.GATEWAY_DATA_DIR || DEFAULT_DATA_DIR, ENDPOINT_FILE);
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const { url, pid } = record as { url?: unknown; pid?: unknown };
  if (typeof url !== 'string' || typeof pid !== 'number' || !alive(pid)) return undefined;
  return url;
}
