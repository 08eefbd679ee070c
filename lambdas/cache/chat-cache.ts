import type { GatedChat } from '../chat/chat-run.js';
import type { ChatScope } from '../chat/chat-scope.js';
import type { GatewayResult } from '../runtime/types.js';
import type { CacheFormat } from './cache-key.js';
import { lookUp } from './cache-lookup.js';
import { CACHE_HEADER, type CacheSlot } from './cache-slot.js';
import { cacheConfigOf } from './cache-settings.js';
import { replayChat } from './chat-replay.js';

/** What the cache made of a chat request: a replayed answer, or a slot for the answer to come (or neither). */
export type ChatCache =
  { readonly hit: GatewayResult } | { readonly slot: CacheSlot | undefined; readonly header: string | undefined };

/** A request under no cache: no slot, no header. */
export const NO_CHAT_CACHE: ChatCache = { slot: undefined, header: undefined };

/**
 * Whether the request's alias or plan has a cache (lookUpChat answers NO_CHAT_CACHE otherwise): checked before
 * building the lookup, so a gateway without a cache pays nothing for it on the way to the first byte.
 */
export const chatCacheWanted = (scope: ChatScope, gated: GatedChat): boolean =>
  cacheConfigOf(scope.config, gated.request.model, scope.principal.plan) !== undefined;

/** The client's API format, by the answer ids its encoding makes (chatcmpl-…, msg_…, resp_…). */
const formatOf = (idPrefix: string): CacheFormat =>
  idPrefix === 'chatcmpl-' ? 'chat' : idPrefix === 'msg_' ? 'messages' : 'responses';

/**
 * The response cache of a chat request past its gates (gateChat: policies, allowlist), before its quota hold: a live
 * entry is replayed (chat-replay.ts) and booked at no cost; otherwise the request goes upstream with a slot that
 * stores its answer. The key covers the format, the alias and its targets, the request as it goes upstream, the plan's
 * policies and the client's anthropic-beta tokens.
 */
export async function lookUpChat(scope: ChatScope, gated: GatedChat): Promise<ChatCache> {
  const { gateway, config, principal, encoding } = scope;
  const lookup = await lookUp({
    gateway,
    config,
    tenant: principal.tenant,
    plan: principal.plan,
    alias: gated.request.model,
    format: formatOf(encoding.idPrefix),
    request: gated.request,
    sent: gated.targets.map((target) => target.request),
    // The client's anthropic-beta tokens and the Responses API's own fields (include, reasoning summary, truncation)
    // change what the answer holds: part of the key.
    extra: {
      ...(scope.betas === undefined || scope.betas.length === 0 ? {} : { betas: scope.betas }),
      ...(scope.native === undefined ? {} : { native: scope.native }),
      ...(scope.hosted === undefined ? {} : { hosted: scope.hosted }),
    },
  });
  if (lookup.kind === 'hit' && lookup.entry.answer.kind === 'chat') {
    return { hit: await replayChat(scope, gated, lookup.entry.answer, lookup.ageSeconds) };
  }
  if (lookup.kind === 'slot') return { slot: lookup.slot, header: undefined };
  return { slot: undefined, header: lookup.kind === 'off' ? lookup.header : undefined };
}

/** The answer with its X-Gateway-Cache header (none when the request came under no cache). */
export function withCacheHeader(result: GatewayResult, cache: ChatCache): GatewayResult {
  if ('hit' in cache) return result;
  const value = cache.slot?.header() ?? cache.header;
  return value === undefined ? result : { ...result, headers: { ...result.headers, [CACHE_HEADER]: value } };
}
