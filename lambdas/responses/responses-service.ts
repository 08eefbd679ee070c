import type { ResponsesRequest } from '../api/responses-schemas.js';
import type { Principal } from '../auth/principal.js';
import { IGNORED_HEADER } from '../chat/answer-headers.js';
import { serveChat } from '../chat/service.js';
import type { GatewayConfig } from '../config/schema.js';
import { ledgerIdOf } from '../formats/openai-responses/response-ids.js';
import type { ResponseObject } from '../formats/openai-responses/response-object.js';
import { responsesEncoding } from '../formats/openai-responses/responses-encoding.js';
import { nativeOf } from '../formats/openai-responses/responses-native.js';
import { toChatRequest } from '../formats/openai-responses/responses-request.js';
import { storageNotes } from '../ledger/storage-note.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { responseStore } from './response-store-runtime.js';
import { conversationOf, withIds } from './responses-conversation.js';
import { planOf } from '../chat/policy-gate.js';
import { redactStoredItems } from './stored-redaction.js';
import { checkStorable } from './stored-response.js';

/**
 * POST /v1/responses: the conversation (previous_response_id, item references: responses-conversation.ts) → the
 * canonical request → the one chat service (routing, retries, fallback, quotas, ledger, policies, metrics) → a
 * Response or its SSE events. With `store` (true unless false, as in OpenAI's API) the finished Response is stored for
 * the tenant once its books are closed — for a stream at its end, never before its first byte; a failed write is
 * logged, the answer stands. OpenAI targets take the Responses API's own fields natively (`native`, the Responses API
 * lane); fields the format dropped join the target's in X-Gateway-Ignored.
 */
export async function createResponse(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ResponsesRequest,
): Promise<GatewayResult> {
  const store = responseStore();
  const { prior, own } = await conversationOf(store, principal.tenant, request);
  const conversation = [...prior, ...own];
  const storing = request.store !== false;
  if (storing) checkStorable(conversation);
  const translated = toChatRequest(request, conversation);
  const { chat, toolset, hosted } = translated;
  // The fields OpenAI targets honour natively are named per answering target (chat/ignored-fields.ts).
  const { native, ignored } = nativeOf(request, translated.ignored, translated.replayed);
  const keep = async (response: ResponseObject): Promise<void> => {
    // The earlier turns were stored redacted already; this request's own input is redacted as its upstream call was.
    const policies = planOf(config, principal.plan)?.policies;
    const mine = redactStoredItems(withIds(own, ledgerIdOf(response.id) ?? ''), policies);
    const stored = { response, conversation: [...prior, ...mine], own: prior.length };
    try {
      const bytes = await store.put(principal.tenant, principal.keyId, stored, config.responses.storeTtlSeconds);
      await noteStored(gateway, principal, response, bytes);
    } catch (err) {
      gateway.log.error('stored response not written: previous_response_id will not find it', {
        responseId: response.id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  };
  const result = await serveChat(
    gateway,
    config,
    principal,
    chat,
    responsesEncoding(request, toolset, storing ? keep : undefined),
    [],
    native,
    hosted,
  );
  return withIgnored(result, ignored);
}

/** The stored item's size and write units on the request's books (ledger/storage-note.ts); a failure is logged. */
async function noteStored(
  gateway: GatewayRequest,
  principal: Principal,
  response: ResponseObject,
  bytes: number,
): Promise<void> {
  const ledgerId = ledgerIdOf(response.id);
  if (ledgerId === undefined) return;
  const { tenant, keyId, plan } = principal;
  const createdAt = new Date(response.created_at * 1000).toISOString();
  try {
    await storageNotes().note({ ledgerId, tenant, keyId, plan, alias: response.model, createdAt, bytes });
  } catch (err) {
    gateway.log.error('stored response not noted on the books', {
      ledgerId,
      bytes,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/**
 * The target's dropped fields, then the format's. What the target calls thinking_blocks (reasoning items it cannot
 * take back) the client sent as reasoning input items: named so.
 */
function withIgnored(result: GatewayResult, ignored: readonly string[]): GatewayResult {
  const already = result.headers?.[IGNORED_HEADER];
  const target = (already === undefined ? [] : String(already).split(',')).map((name) =>
    name.startsWith('thinking_blocks') ? 'input[].reasoning' : name,
  );
  const names = [...new Set([...target, ...ignored])];
  if (names.length === 0) return result;
  return { ...result, headers: { ...result.headers, [IGNORED_HEADER]: names.join(',') } };
}
