import { createHash } from 'node:crypto';

/** How long DynamoDB remembers a ClientRequestToken. */
export const tokenTtlMs = 10 * 60 * 1000;

/**
 * Whether the object's own keys enumerate in code-unit order. Throws Unorderable for a key that may be an array index
 * (V8 lists those first, whatever the insertion order) or `__proto__` (an assignment would set the prototype).
 */
function inOrder(value: Record<string, unknown>): boolean {
  let previous: string | undefined;
  // for…in, not Object.keys: no array per object (most are attribute values, one key each).
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') throw new Unorderable();
    if (previous !== undefined && previous > key) return false;
    previous = key;
  }
  return true;
}

/** A key the sorted copies cannot place (inOrder): canonicalText writes the JSON itself. */
class Unorderable extends Error {}

/**
 * The value with every object's keys in code-unit order: the value itself where they are (most of a transaction:
 * its attribute values), copies of the objects (and the arrays holding them) where they are not.
 */
function sortedView(value: unknown): unknown {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      const sorted = sortedView(member);
      if (sorted !== member) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (inOrder(record)) {
    let copy: Record<string, unknown> | undefined;
    for (const key in record) {
      if (!Object.hasOwn(record, key)) continue;
      const member = record[key];
      const sorted = sortedView(member);
      if (sorted !== member) (copy ??= { ...record })[key] = sorted;
    }
    return copy ?? record;
  }
  const copy: Record<string, unknown> = {};
  // sort()'s own order is code-unit order (byCodeUnit's), without a call into a comparator per comparison.
  for (const key of Object.keys(record).sort()) copy[key] = sortedView(record[key]);
  return copy;
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with object keys sorted, written piece by piece (the rare body with an Unorderable key). */
function canonicalText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => byCodeUnit(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * JSON with object keys sorted, so the hash does not depend on the order the client wrote members in: JSON.stringify
 * of a view with sorted keys (one native pass; objects copied only where their keys are out of order), instead of a
 * string, an entry list and a sorted copy per object — the hash of every transaction body is the store thread's
 * second cost. The same text as canonicalText, which serves a body with an Unorderable key.
 */
function canonical(value: unknown): string {
  try {
    return JSON.stringify(sortedView(value)) ?? 'null';
  } catch (err) {
    if (err instanceof Unorderable) return canonicalText(value);
    throw err;
  }
}

/** The hash of a TransactWriteItems body without its token: what "the same request" means for a token. */
export function requestHash(body: Record<string, unknown>): string {
  const { ClientRequestToken: _token, ...rest } = body;
  return createHash('sha256').update(canonical(rest)).digest('hex');
}

export type TokenVerdict = 'new' | 'replay' | 'mismatch';

/**
 * Tokens of transactions that committed, each with its request hash, for `tokenTtlMs`. Entries expire in insertion
 * order (the TTL is fixed), so pruning walks from the oldest; no timer keeps the process alive.
 */
export class TokenStore {
  private readonly tokens = new Map<string, { readonly hash: string; readonly expiresAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  check(token: string, hash: string): TokenVerdict {
    this.prune();
    const known = this.tokens.get(token);
    if (!known) return 'new';
    return known.hash === hash ? 'replay' : 'mismatch';
  }

  remember(token: string, hash: string): void {
    this.prune();
    this.tokens.delete(token);
    this.tokens.set(token, { hash, expiresAt: this.now() + tokenTtlMs });
  }

  private prune(): void {
    const now = this.now();
    for (const [token, entry] of this.tokens) {
      if (entry.expiresAt > now) break;
      this.tokens.delete(token);
    }
  }
}
