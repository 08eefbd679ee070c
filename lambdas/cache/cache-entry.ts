import { gunzipSync, gzipSync } from 'node:zlib';
import type { Vector } from '../providers/embedding-types.js';
import type { ChatResult } from '../providers/types.js';
import type { AnsweredBy } from './cache-slot.js';

/**
 * What the cache keeps of an answer: the canonical answer, never a format's bytes, so a hit is encoded again by the
 * format's own encoders, as JSON or as a stream. A chat result's `usage` is the one its request was booked with (the
 * provider's, or the gateway's estimate: `estimated`).
 */
export type CachedAnswer =
  | { readonly kind: 'chat'; readonly result: ChatResult; readonly estimated: boolean; readonly by: AnsweredBy }
  | {
      readonly kind: 'embeddings';
      readonly vectors: readonly Vector[];
      readonly inputTokens: number;
      readonly estimated: boolean;
      readonly by: AnsweredBy;
    };

/** An entry as read back: the answer and when it was stored (epoch ms). */
export interface CacheEntry {
  readonly answer: CachedAnswer;
  readonly storedAt: number;
}

/**
 * The largest entry stored, gzipped: 350 KB keeps the item (key, attributes and all) within DynamoDB's 400 KB. A
 * larger answer is not cached (X-Gateway-Cache: miss; not-stored=too-large when it is known in time).
 */
export const MAX_ENTRY_BYTES = 350 * 1024;

export const packEntry = (answer: CachedAnswer): Buffer => gzipSync(JSON.stringify(answer));

export const unpackEntry = (bytes: Uint8Array): CachedAnswer =>
  JSON.parse(gunzipSync(bytes).toString('utf8')) as CachedAnswer;
