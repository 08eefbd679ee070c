import type { GatewayError, OpenAIErrorBody } from '../core/errors.js';
import { anthropicErrorBody, type AnthropicErrorBody } from './anthropic-messages/anthropic-error-body.js';
import { openAIErrorBody } from './openai-chat/openai-error-body.js';

/**
 * The error shapes the API answers in, chosen per route (`errorFormat` in the route table): OpenAI's everywhere but
 * `/v1/messages`, which answers like Anthropic's Messages API so that @anthropic-ai/sdk clients read its errors.
 * The status is the gateway's own either way; only the body differs.
 */
export type ErrorFormat = 'openai' | 'anthropic';

/** A gateway error's body in the given format. */
export function errorBody(
  error: GatewayError,
  format: ErrorFormat,
  requestId: string | null,
): OpenAIErrorBody | AnthropicErrorBody {
  return format === 'anthropic' ? anthropicErrorBody(error, requestId) : openAIErrorBody(error);
}
