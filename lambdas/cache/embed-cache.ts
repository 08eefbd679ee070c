import type { EmbeddingInput, EmbeddingsRequest } from '../api/embeddings-schemas.js';
import { ATTEMPTS_HEADER, LEDGER_ID_HEADER, MODEL_HEADER, PROVIDER_HEADER } from '../chat/answer-headers.js';
import type { Books } from '../chat/chat-scope.js';
import { meterChat, newLedgerId, type MeterScope } from '../chat/metering.js';
import { policyHeaders } from '../chat/policy-gate.js';
import { json } from '../core/http.js';
import { embeddingList } from '../formats/openai-embeddings/embedding-list.js';
import type { GatewayResult } from '../runtime/types.js';
import type { CachedAnswer } from './cache-entry.js';
import { lookUp } from './cache-lookup.js';
import { CACHE_HEADER, HIT, type CacheSlot } from './cache-slot.js';

/** What the cache made of an embeddings request: a replayed answer, or a slot for the answer to come. */
export type EmbedCache = { readonly hit: GatewayResult } | { readonly slot: CacheSlot | undefined };

/**
 * The response cache of POST /v1/embeddings, past the input policies and the alias, before the quota hold: the key
 * covers the alias and its targets, the inputs as they go upstream, `dimensions` and `encoding_format`, and the plan's
 * policies. Embeddings are deterministic: no temperature rule.
 */
export async function lookUpEmbeddings(
  scope: MeterScope,
  request: EmbeddingsRequest,
  input: readonly EmbeddingInput[],
): Promise<EmbedCache> {
  const { gateway, config, principal } = scope;
  const encoding = request.encoding_format ?? 'float';
  const lookup = await lookUp({
    gateway,
    config,
    tenant: principal.tenant,
    plan: principal.plan,
    alias: request.model,
    format: 'embeddings',
    request: { model: request.model, input, dimensions: request.dimensions, encoding_format: encoding },
    sent: [],
  });
  if (lookup.kind === 'hit' && lookup.entry.answer.kind === 'embeddings') {
    return { hit: await replayEmbeddings(scope, lookup.entry.answer, encoding, lookup.ageSeconds) };
  }
  return { slot: lookup.kind === 'slot' ? lookup.slot : undefined };
}

/** A hit: booked at no cost with its input tokens and what it saved, answered as the embedding list. */
async function replayEmbeddings(
  scope: MeterScope,
  answer: Extract<CachedAnswer, { kind: 'embeddings' }>,
  encoding: 'float' | 'base64',
  ageSeconds: number,
): Promise<GatewayResult> {
  const { trail } = scope;
  const books: Books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold: undefined, trail };
  const usage = { inputTokens: answer.inputTokens, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
  await meterChat({ ...scope, cache: HIT }, books, {
    status: 200,
    provider: answer.by.provider,
    model: answer.by.model,
    metered: { usage, estimated: answer.estimated },
    attempts: 0,
    fallbacks: 0,
  });
  const body = embeddingList(answer.vectors, encoding, scope.request.model, answer.inputTokens);
  return json(200, body, {
    [PROVIDER_HEADER]: answer.by.provider,
    [MODEL_HEADER]: answer.by.model,
    [ATTEMPTS_HEADER]: '0',
    [LEDGER_ID_HEADER]: books.ledgerId,
    ...policyHeaders(trail.policy),
    [CACHE_HEADER]: `hit; age=${ageSeconds}`,
  });
}

/** The answer with its X-Gateway-Cache header (none when the request came under no cache). */
export function withEmbedCacheHeader(result: GatewayResult, cache: EmbedCache): GatewayResult {
  if ('hit' in cache || cache.slot === undefined) return result;
  return { ...result, headers: { ...result.headers, [CACHE_HEADER]: cache.slot.header() } };
}
