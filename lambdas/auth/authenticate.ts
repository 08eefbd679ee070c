import { timingSafeEqual } from 'node:crypto';
import { header } from '../core/http.js';
import { hashKey, isWellFormedKey } from '../keys/key-format.js';
import { isUsable, type KeyRecord } from '../keys/key-record.js';
import type { KeyStore } from '../keys/key-store.js';

/** The gateway key a request carries: `Authorization: Bearer <key>` (what the openai SDK sends) or `x-api-key`. */
export function presentedKey(headers: Readonly<Record<string, string | undefined>> | null | undefined): string | undefined {
  const authorization = header({ headers }, 'authorization');
  const apiKey = header({ headers }, 'x-api-key');
  const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return bearer ?? apiKey?.trim();
}

/**
 * The stored key a presented key authenticates as, or undefined — for every reason alike (malformed, checksum,
 * unknown, revoked, expired, past its rotation grace). A malformed key costs no store read; a well-formed one costs
 * one GetItem by hash, and the stored hash is compared in constant time.
 */
export async function authenticate(presented: string | undefined, store: KeyStore, now: Date): Promise<KeyRecord | undefined> {
  if (presented === undefined || !isWellFormedKey(presented)) return undefined;
  const hash = hashKey(presented);
  const record = await store.findByHash(hash);
  if (record === undefined) return undefined;
  const stored = Buffer.from(record.hash, 'hex');
  const computed = Buffer.from(hash, 'hex');
  if (stored.length !== computed.length || !timingSafeEqual(stored, computed)) return undefined;
  return isUsable(record, now) ? record : undefined;
}
