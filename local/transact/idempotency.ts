import { createHash } from 'node:crypto';

/** How long DynamoDB remembers a ClientRequestToken. */
export const tokenTtlMs = 10 * 60 * 1000;

/** JSON with object keys sorted, so the hash does not depend on the order the client wrote members in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
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
