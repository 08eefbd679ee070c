import type { ChatRequest } from '../api/chat-schemas.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import type { ChatEncoding } from '../formats/chat-encoding.js';
import { openAIEncoding } from '../formats/openai-chat/openai-encoding.js';
import type { HostedTools } from '../providers/hosted-tools.js';
import type { NativeResponses } from '../providers/native-responses.js';
import type { GatewayRequest, GatewayResult } from '../runtime/types.js';
import { chatCacheWanted, lookUpChat, NO_CHAT_CACHE, withCacheHeader } from '../cache/chat-cache.js';
import { ChatRun, gateChat } from './chat-run.js';
import { overridesCheckLoading } from './resolve.js';
import type { ChatScope } from './chat-scope.js';
import { answerJson } from './json-answer.js';
import { reportUnbooked } from './metering.js';
import { answerStream } from './stream-answer.js';
import { phaseMark } from '../observability/phase-marks.js';

export { LEDGER_ID_HEADER } from './answer-headers.js';

/**
 * One chat request: the plan's policies → alias → targets → the router (retries, failover, breakers, hedging) → an
 * answer (json-answer.ts), or an SSE stream committed to the first target that produced content (stream-answer.ts),
 * in `encoding`'s format (OpenAI's chat.completion by default; /v1/messages passes Anthropic's, and the client's
 * `anthropic-beta` tokens for Anthropic targets; /v1/responses its `native` fields for OpenAI targets; both their provider-hosted tools, `hosted`), through the plan's
 * output redaction. The request's AbortController ends everything (chat-run.ts): the client going away (the
 * response body is destroyed) or the alias's deadline. Every request ends with one "request completed" line
 * (metering.ts), those refused before routing included.
 */
export async function serveChat(
  gateway: GatewayRequest,
  config: GatewayConfig,
  principal: Principal,
  request: ChatRequest,
  encoding: ChatEncoding = openAIEncoding,
  betas: readonly string[] = [],
  native?: NativeResponses,
  hosted?: HostedTools,
): Promise<GatewayResult> {
  const trail = { policy: [], reported: false };
  const scope: ChatScope = {
    gateway,
    config,
    principal,
    request,
    encoding,
    trail,
    ...(betas.length > 0 ? { betas } : {}),
    ...(native === undefined ? {} : { native }),
    ...(hosted === undefined || hosted.tools.length === 0 ? {} : { hosted }),
  };
  try {
    return await runChat(scope);
  } catch (err) {
    await reportUnbooked(scope, err instanceof GatewayError ? err.status : 500);
    throw err;
  }
}

/** The gates, then the response cache (lambdas/cache): a hit is answered there, a miss runs with the cache's slot. */
async function runChat(scope: ChatScope): Promise<GatewayResult> {
  phaseMark?.('chat in');
  const loading = overridesCheckLoading(scope.config);
  if (loading !== undefined) await loading;
  const gated = gateChat(scope);
  phaseMark?.('policies + alias');
  const cache = chatCacheWanted(scope, gated) ? await lookUpChat(scope, gated) : NO_CHAT_CACHE;
  phaseMark?.('cache lookup');
  if ('hit' in cache) return cache.hit;
  const run = await ChatRun.open({ ...scope, cache: cache.slot }, gated);
  try {
    const answer = run.request.stream === true ? await answerStream(run) : await answerJson(run);
    return withCacheHeader(answer, cache);
  } catch (err) {
    return await run.fail(err);
  }
}
