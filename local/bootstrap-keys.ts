import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyService } from '../lambdas/keys/key-service.js';

/** Where the local gateway keeps the admin key it generated (the CLI reads it from there too). */
export const ADMIN_KEY_FILE = 'local-admin-key';
const DEV_KEY_FILE = 'dev-key.json';

function readSecretFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  return text === '' ? undefined : text;
}

function writeSecretFile(file: string, text: string): void {
  writeFileSync(file, `${text}\n`, { mode: 0o600 });
}

/** GATEWAY_ADMIN_KEY when set; else the one generated on an earlier start; else a new one, kept for next time. */
export function localAdminKey(
  dataDir: string,
  fromEnv: string | undefined,
): { key: string; source: 'env' | 'file' | 'new' } {
  if (fromEnv !== undefined && fromEnv !== '') return { key: fromEnv, source: 'env' };
  const file = join(dataDir, ADMIN_KEY_FILE);
  const known = readSecretFile(file);
  if (known !== undefined) return { key: known, source: 'file' };
  const key = `lgwadmin_${randomBytes(32).toString('base64url')}`;
  mkdirSync(dataDir, { recursive: true });
  writeSecretFile(file, key);
  return { key, source: 'new' };
}

/**
 * The development key of the `dev` tenant: created on the first start with this data directory (all aliases,
 * scopes chat and usage:read), then shown again on every start from the file it is kept in. Local only: in AWS
 * nothing but the hash of a key is ever stored.
 */
export async function developmentKey(
  dataDir: string,
  keys: KeyService,
): Promise<{ key: string; id: string; created: boolean }> {
  const file = join(dataDir, DEV_KEY_FILE);
  const known = readSecretFile(file);
  if (known !== undefined) {
    const parsed = JSON.parse(known) as { key: string; id: string };
    return { ...parsed, created: false };
  }
  const { key, record } = await keys.create({ tenant: 'dev', name: 'development key', scopes: ['chat', 'usage:read'] });
  mkdirSync(dataDir, { recursive: true });
  writeSecretFile(file, JSON.stringify({ key, id: record.id }));
  return { key, id: record.id, created: true };
}
