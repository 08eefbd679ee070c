import type { ChatRequest } from '../api/chat-schemas.js';
import type { GatewayConfig } from '../config/schema.js';
import type { GatewayRequest } from '../runtime/types.js';
import { meterUsage } from '../usage/estimate.js';
import { cacheNow } from './cache-clock.js';
import type { CacheEntry, CachedAnswer } from './cache-entry.js';
import { cacheKey, policyVersion, type CacheFormat } from './cache-key.js';
import { cacheConfigOf, clientCacheControl, sampled, scopeOf } from './cache-settings.js';
import type { CacheSlot, FreshAnswer } from './cache-slot.js';
import { cacheStore, type EntryAddress } from './cache-store.js';

/** A request as the cache looks it up: past the plan's request policies and the alias's allowlist. */
export interface CacheQuery {
  readonly gateway: GatewayRequest;
  readonly config: GatewayConfig;
  readonly tenant: string;
  readonly plan: string;
  readonly alias: string;
  readonly format: CacheFormat;
  /** The canonical request as it goes upstream; for a chat answer also what its usage estimate is made from. */
  readonly request: ChatRequest | object;
  /** The requests the targets send (after their parameter overrides): their temperature says if it is sampled. */
  readonly sent: readonly { readonly temperature?: number | null | undefined }[];
  readonly extra?: unknown;
}

/** The lookup's outcome: not cached (no header, or one saying why), a live entry, or a slot for the answer. */
export type Lookup =
  | { readonly kind: 'off'; readonly header?: string }
  | { readonly kind: 'hit'; readonly entry: CacheEntry; readonly ageSeconds: number }
  | { readonly kind: 'slot'; readonly slot: CacheSlot };

/**
 * Looks a request up in the cache its alias or plan configures: off when none is, or when the request is sampled
 * (temperature > 0) and the configuration does not say `cacheSampled`; a hit when a live entry is there and the
 * client did not say `no-cache`; else a slot that stores the answer unless the client said `no-store`. A store that
 * fails to answer is a miss (logged): the cache never fails a request.
 */
export async function lookUp(query: CacheQuery): Promise<Lookup> {
  const { config, gateway, alias } = query;
  const cache = cacheConfigOf(config, alias, query.plan);
  if (cache === undefined) return { kind: 'off' };
  if (query.format !== 'embeddings' && !cache.cacheSampled && sampled(query.sent)) {
    return { kind: 'off', header: 'bypass; reason=sampled' };
  }
  const model = config.models[alias];
  const hash = cacheKey({
    format: query.format,
    alias,
    targets: (model?.targets ?? []).map(({ provider, model: name, params }) => ({ provider, model: name, params })),
    request: query.request,
    policyVersion: policyVersion(config.plans[query.plan]?.policies),
    extra: query.extra,
  });
  const at: EntryAddress = { scope: scopeOf(cache, query.tenant), hash };
  const control = clientCacheControl(gateway.event);
  if (control.read) {
    try {
      const entry = await cacheStore().get(at, cache.ttlSeconds);
      if (entry !== undefined && entry.answer.kind === (query.format === 'embeddings' ? 'embeddings' : 'chat')) {
        const ageSeconds = Math.max(0, Math.floor((cacheNow() - entry.storedAt) / 1000));
        return { kind: 'hit', entry, ageSeconds };
      }
    } catch (err) {
      gateway.log.warn('cache read failed: served as a miss', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  return {
    kind: 'slot',
    slot: new StoringSlot(query, at, cache.ttlSeconds, control.read ? 'miss' : 'bypass', control.store),
  };
}

/** The slot of a miss or a bypass: stores a complete answer once (unless no-store), says why one was not stored. */
class StoringSlot implements CacheSlot {
  private notStored: string | undefined;

  constructor(
    private readonly query: CacheQuery,
    private readonly at: EntryAddress,
    private readonly ttlSeconds: number,
    readonly state: 'miss' | 'bypass',
    private readonly storing: boolean,
  ) {
    if (!storing) this.notStored = 'no-store';
  }

  header(): string {
    return this.notStored === undefined ? this.state : `${this.state}; not-stored=${this.notStored}`;
  }

  async keep(answer: FreshAnswer): Promise<void> {
    if (!this.storing) return;
    const cached = this.cachedOf(answer);
    if (cached === undefined) {
      this.notStored = 'incomplete';
      return;
    }
    try {
      if (!(await cacheStore().put(this.at, cached, this.ttlSeconds))) this.notStored = 'too-large';
    } catch (err) {
      this.notStored = 'store-failed';
      this.query.gateway.log.warn('cache write failed: the answer stands, not cached', {
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** What is kept: only complete answers (finish stop, length or tool_calls), with their usage as booked. */
  private cachedOf(answer: FreshAnswer): CachedAnswer | undefined {
    if (answer.kind === 'embeddings') return answer;
    const { result, produced, by } = answer;
    if (result.finishReason === 'content_filter') return undefined;
    const metered = meterUsage(result.usage, this.query.request as ChatRequest, produced);
    return { kind: 'chat', result: { ...result, usage: metered.usage }, estimated: metered.estimated, by };
  }
}
