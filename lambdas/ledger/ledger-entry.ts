import type { Usage } from '../providers/types.js';

/**
 * One chat request as the ledger records it. `id` is the gateway's own (never the client's X-Request-Id, which is
 * kept in `requestId` for correlation only: no client can make two requests share a record).
 */
export interface LedgerEntry {
  readonly id: string;
  readonly requestId: string;
  readonly tenant: string;
  readonly keyId: string;
  readonly plan: string;
  /** The model alias the client asked for. */
  readonly alias: string;
  /** The serving target, when one served. */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly status: number;
  readonly stream: boolean;
  readonly usage: Usage | undefined;
  readonly estimated: boolean;
  /** Integer micro-dollars; undefined when the model has no price. */
  readonly costMicros: number | undefined;
  readonly attempts: number;
  /** What the response cache did (lambdas/cache), when the request came under one. */
  readonly cache?: 'hit' | 'miss' | 'bypass' | undefined;
  /** A cache hit: what it would have cost at today's price (integer micro-dollars); it was booked at 0. */
  readonly savedMicros?: number | undefined;
  /** The key's labels (cost-centre and the like), as the authorizer passed them on; absent: none. */
  readonly labels?: Readonly<Record<string, string>> | undefined;
  /** ISO 8601, UTC. */
  readonly createdAt: string;
}

/** The UTC day (YYYY-MM-DD) an entry counts in. */
export const dayOf = (entry: Pick<LedgerEntry, 'createdAt'>): string => entry.createdAt.slice(0, 10);
