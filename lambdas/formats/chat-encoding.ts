import type { ChatRequest } from '../api/chat-schemas.js';
import type { ChatResult } from '../providers/types.js';
import { meterUsage, producedOf } from '../usage/estimate.js';
import { toChatCompletion } from './openai-chat/chat-completion.js';
import { openAIStreamEncoder, type StreamEncoder } from './sse-stream.js';

/** What an answer is named by, whatever its format. */
export interface AnswerMeta {
  /** The answer's id, already prefixed by the encoding (`chatcmpl-…`, `msg_…`). */
  readonly id: string;
  /** Unix seconds. */
  readonly created: number;
  /** The model alias the client asked for: answers name it, never the upstream model. */
  readonly alias: string;
  /** The request's X-Request-Id (error bodies of some formats carry it). */
  readonly requestId: string;
}

/**
 * The API format a chat answer leaves in. The chat service (routing, retries, quotas, ledger, metrics) is one; what
 * it answers with is this: the JSON body of a non-stream answer and the SSE encoder of a stream. `request` is the
 * canonical request as the service ran it.
 */
export interface ChatEncoding {
  readonly idPrefix: string;
  body(result: ChatResult, request: ChatRequest, meta: AnswerMeta): unknown;
  stream(request: ChatRequest, meta: AnswerMeta): StreamEncoder;
}

/** OpenAI Chat Completions: a chat.completion, or chat.completion.chunk events ending with [DONE]. */
export const openAIEncoding: ChatEncoding = {
  idPrefix: 'chatcmpl-',
  // The usage as metered: a count the provider left out is the estimate the ledger books, not 0 or null.
  body: (result, request, meta) =>
    toChatCompletion(result.usage === undefined ? result : { ...result, usage: meterUsage(result.usage, request, producedOf(result)).usage }, meta),
  stream: (request, meta) => openAIStreamEncoder({ ...meta, includeUsage: request.stream_options?.include_usage === true }),
};
