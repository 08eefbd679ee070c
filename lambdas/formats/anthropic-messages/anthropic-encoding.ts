import type { ChatEncoding } from '../chat-encoding.js';
import { meterUsage, producedOf } from '../../usage/estimate.js';
import { toAnthropicMessage } from './anthropic-message.js';
import { AnthropicStreamEncoder } from './anthropic-event-stream.js';

/**
 * Anthropic's Messages format for the chat service's answers (/v1/messages): a Message, or its SSE events. A
 * Message always has usage: the provider's, or the gateway's estimate — the same numbers the ledger records.
 */
export const anthropicEncoding: ChatEncoding = {
  idPrefix: 'msg_',
  body: (result, request, meta) =>
    toAnthropicMessage(result, meterUsage(result.usage, request, producedOf(result)).usage, meta),
  stream: (request, meta) => new AnthropicStreamEncoder(request, meta),
};
