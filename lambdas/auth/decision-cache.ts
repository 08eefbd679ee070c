import type { KeyRecord } from '../keys/key-record.js';

interface Entry {
  readonly record: KeyRecord;
  readonly until: number;
}

/** The most keys one instance remembers; past it the oldest entry goes (a Lambda instance serves few tenants). */
export const DECISION_CACHE_MAX_ENTRIES = 1000;

/**
 * The authorizer's own cache of allowed keys, for the routes API Gateway does not cache (key-intake.ts): keyed by
 * the SHA-256 of the presented key and nothing else, so a request reuses a decision only with the same key. An entry
 * lives `ttlMs` (auth.cacheTtlSeconds, as API Gateway's cache would), so a revocation takes effect within the same
 * documented time; the record is re-checked for expiry and rotation grace on every hit. Only allows are kept: a
 * refused key costs its lookup again (a well-formed unknown key is cheap to make, caching it would only evict).
 * Bounded: at `maxEntries` the oldest entry is dropped.
 */
export class DecisionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number = DECISION_CACHE_MAX_ENTRIES,
  ) {}

  get(hash: string, now: number): KeyRecord | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.record;
  }

  set(hash: string, record: KeyRecord, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(hash);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.entries.delete(oldest.value);
    }
    this.entries.set(hash, { record, until: now + this.ttlMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
