import { ATTEMPTS_HEADER, LEDGER_ID_HEADER, MODEL_HEADER, PROVIDER_HEADER } from '../chat/answer-headers.js';
import type { GatedChat } from '../chat/chat-run.js';
import type { Books, ChatScope } from '../chat/chat-scope.js';
import { meterChat, newLedgerId, type ChatOutcome } from '../chat/metering.js';
import { policyHeaders } from '../chat/policy-gate.js';
import { streamBody } from '../chat/stream-body.js';
import { json } from '../core/http.js';
import type { AnswerMeta } from '../formats/chat-encoding.js';
import { encodeStream } from '../formats/sse-stream.js';
import { markSelfReported } from '../runtime/request-state.js';
import type { GatewayResult } from '../runtime/types.js';
import type { CachedAnswer } from './cache-entry.js';
import { CACHE_HEADER, HIT } from './cache-slot.js';
import { replayed, replayParts } from './replay-parts.js';

/**
 * A cache hit answered like a fresh answer, in the client's format, as JSON or as a stream (a JSON answer replays as
 * a stream and vice versa): its own ledger id and answer id, booked as a request of the target that answered it, at
 * no cost, with its tokens and what it saved; no quota is held or settled. The stream's parts are the stored answer's,
 * without delay; its books are closed before its usage and end go out, as for any stream (the booking itself is
 * written after the response: chat/metering.ts).
 */
export async function replayChat(
  scope: ChatScope,
  gated: GatedChat,
  answer: Extract<CachedAnswer, { kind: 'chat' }>,
  ageSeconds: number,
): Promise<GatewayResult> {
  const { gateway, encoding, trail } = scope;
  const { request } = gated;
  const hitScope: ChatScope = { ...scope, request, cache: HIT };
  const books: Books = { ledgerId: newLedgerId(), createdAt: new Date().toISOString(), hold: undefined, trail };
  const meta: AnswerMeta = {
    id: `${encoding.idPrefix}${books.ledgerId}`,
    created: Math.floor(Date.now() / 1000),
    alias: request.model,
    requestId: gateway.requestId,
  };
  const { result, estimated, by } = answer;
  const outcome = (status: number): ChatOutcome => ({
    status,
    provider: by.provider,
    model: by.model,
    metered: result.usage === undefined ? undefined : { usage: result.usage, estimated },
    attempts: 0,
    fallbacks: 0,
  });
  const headers = {
    [PROVIDER_HEADER]: by.provider,
    [MODEL_HEADER]: by.model,
    [ATTEMPTS_HEADER]: '0',
    [LEDGER_ID_HEADER]: books.ledgerId,
    ...policyHeaders(trail.policy),
    [CACHE_HEADER]: `hit; age=${ageSeconds}`,
  };
  if (request.stream !== true) {
    await meterChat(hitScope, books, outcome(200));
    const body = encoding.body(result, request, meta);
    await encoding.keep?.();
    return json(200, body, headers);
  }
  const body = streamBody(
    (end) => encodeStream(replayed(replayParts(result)), encoding.stream(request, meta), end),
    async ({ failed, error }) => {
      await meterChat(hitScope, books, { ...outcome(error?.status ?? 200), streamError: failed });
    },
    () => undefined,
    (err) => {
      gateway.log.error('cached stream left before its first read: its books could not be closed', {
        error: err instanceof Error ? err.message : String(err),
      });
    },
  );
  markSelfReported(gateway.event);
  return {
    statusCode: 200,
    headers: { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
    body,
  };
}
