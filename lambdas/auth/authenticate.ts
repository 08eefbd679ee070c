import { timingSafeEqual } from 'node:crypto';
import { hashKey, isWellFormedKey } from '../keys/key-format.js';
import { isUsable, type KeyRecord } from '../keys/key-record.js';
import type { KeyStore } from '../keys/key-store.js';
import type { KeyIntake } from './key-intake.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

type Headers = Readonly<Record<string, string | undefined>> | null | undefined;
type MultiValueHeaders = Readonly<Record<string, readonly string[] | undefined>> | null | undefined;

const AMBIGUOUS = Symbol('ambiguous');

/**
 * The one value of header `name`, whatever its spelling, from the single- and multi-value maps; AMBIGUOUS when the
 * request carries it more than once with different values (`Authorization` and `authorization`, or a repeated line):
 * a cache and the function could each take a different one.
 */
function soleValue(
  headers: Headers,
  multiValueHeaders: MultiValueHeaders,
  name: string,
): string | undefined | typeof AMBIGUOUS {
  const values = new Set<string>();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (value !== undefined && key.toLowerCase() === name) values.add(value);
  }
  for (const [key, list] of Object.entries(multiValueHeaders ?? {})) {
    if (key.toLowerCase() === name) for (const value of list ?? []) values.add(value);
  }
  if (values.size > 1) return AMBIGUOUS;
  return values.values().next().value;
}

/**
 * The gateway key a request carries, read as `intake` allows (see key-intake.ts), or undefined (→ 401).
 *
 * An Authorization header that is present must be a well-formed `Bearer <key>`; anything else in it (`Basic …`, a bare
 * `Bearer`) is refused, never passed over for another header: a cache keyed on Authorization must not hold a decision
 * made on a key from elsewhere. With `bearer-or-x-api-key`, x-api-key is read too; both present and different is
 * refused (which one would the client mean?). An empty x-api-key counts as absent. A header sent twice with
 * different values (in any spelling) is refused too.
 */
export function presentedKey(
  headers: Headers,
  intake: KeyIntake,
  multiValueHeaders?: MultiValueHeaders,
): string | undefined {
  const authorization = soleValue(headers, multiValueHeaders, 'authorization');
  if (authorization === AMBIGUOUS) return undefined;
  const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (authorization !== undefined && bearer === undefined) return undefined;
  if (intake === 'bearer') return bearer;
  const apiKeyHeader = soleValue(headers, multiValueHeaders, 'x-api-key');
  if (apiKeyHeader === AMBIGUOUS) return undefined;
  const apiKey = apiKeyHeader?.trim() || undefined;
  if (bearer !== undefined && apiKey !== undefined && bearer !== apiKey) return undefined;
  return bearer ?? apiKey;
}

/**
 * The stored key a presented key authenticates as, or undefined — for every reason alike (malformed, checksum,
 * unknown, revoked, expired, past its rotation grace). A malformed key costs no store read; a well-formed one costs
 * one GetItem by hash, and the stored hash is compared in constant time.
 */
export async function authenticate(
  presented: string | undefined,
  store: Pick<KeyStore, 'findByHash'>,
  now: Date,
): Promise<KeyRecord | undefined> {
  if (presented === undefined || !isWellFormedKey(presented)) return undefined;
  const hash = hashKey(presented);
  const record = await store.findByHash(hash);
  if (record === undefined) return undefined;
  const stored = Buffer.from(record.hash, 'hex');
  const computed = Buffer.from(hash, 'hex');
  if (stored.length !== computed.length || !timingSafeEqual(stored, computed)) return undefined;
  return isUsable(record, now) ? record : undefined;
}
