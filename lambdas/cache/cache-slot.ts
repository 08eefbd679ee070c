import type { Vector } from '../providers/embedding-types.js';
import type { ChatResult } from '../providers/types.js';
import type { ProducedOutput } from '../usage/estimate.js';

/** The response header that says what the cache did: `hit; age=<s>`, `miss`, `bypass` (README.md, "Response cache"). */
export const CACHE_HEADER = 'X-Gateway-Cache';

/** What the cache did for a request: replayed an entry, looked and found none, or was told not to read. */
export type CacheState = 'hit' | 'miss' | 'bypass';

/** The target that answered, as the entry keeps it (the ledger books a hit on it). */
export interface AnsweredBy {
  readonly provider: string;
  readonly model: string;
}

/**
 * A complete, successful answer the chat or embeddings service offers to the cache: a chat result as the client got
 * it (after the plan's output redaction) with what the model produced (for the estimate when the provider reported
 * no usage), or an embeddings answer with its booked input tokens.
 */
export type FreshAnswer =
  | { readonly kind: 'chat'; readonly result: ChatResult; readonly produced: ProducedOutput; readonly by: AnsweredBy }
  | {
      readonly kind: 'embeddings';
      readonly vectors: readonly Vector[];
      readonly inputTokens: number;
      readonly estimated: boolean;
      readonly by: AnsweredBy;
    };

/**
 * A request's place in the cache: a hit (nothing to keep), or a request that went upstream (a miss, or a bypass),
 * whose `keep` stores its answer when it was
 * complete and successful (nothing under `no-store`); it logs its own failures, never throws. `header` is the
 * X-Gateway-Cache value, which names why an answer was not stored when it is known before the headers leave.
 */
export interface CacheSlot {
  readonly state: CacheState;
  keep(answer: FreshAnswer): Promise<void>;
  header(): string;
}

/** The cache's mark on a hit's books: metering books it at no cost, with what it saved. */
export const HIT: CacheSlot = { state: 'hit', keep: async () => undefined, header: () => 'hit' };
