import type { ChatEncoding } from '../chat-encoding.js';
import { meterUsage, producedOf } from '../../usage/estimate.js';
import { toChatCompletion } from './chat-completion.js';
import { openAIStreamEncoder } from './openai-chunk-stream.js';

/** OpenAI Chat Completions: a chat.completion, or chat.completion.chunk events ending with [DONE]. */
export const openAIEncoding: ChatEncoding = {
  idPrefix: 'chatcmpl-',
  // The usage as metered: a count the provider left out is the estimate the ledger books, not 0 or null.
  body: (result, request, meta) =>
    toChatCompletion(
      result.usage === undefined
        ? result
        : { ...result, usage: meterUsage(result.usage, request, producedOf(result)).usage },
      meta,
    ),
  stream: (request, meta) =>
    openAIStreamEncoder({
      ...meta,
      includeUsage: request.stream_options?.include_usage === true,
      meter: (usage, produced) => meterUsage(usage, request, produced).usage,
    }),
};
