import type {
  MessageCountTokensParams,
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
} from '@anthropic-ai/sdk/resources/messages';
import { createAnthropicClient } from '../../../lambdas/providers/anthropic/anthropic-client.js';
import type { MessagesCalls } from '../../../lambdas/providers/anthropic/messages-call.js';
import type { ProviderCall } from '../../../lambdas/providers/types.js';
import { connectionWatch } from '../../../lambdas/transport/connect-watch.js';

/**
 * The provider's calls as it made them through the SDK's client before messages-call.ts (the reference the lean
 * call is compared with): the same options, the request id and betas as headers, the connection watch as fetchOptions.
 */
export function sdkMessagesCalls(options: { apiKey: string; baseURL: string; timeoutMs: number }): MessagesCalls {
  const client = createAnthropicClient(options);
  const requestOptions = (call: ProviderCall, betas: Readonly<Record<string, string>>) => ({
    signal: call.signal,
    headers: { 'X-Request-Id': call.requestId, ...betas },
    fetchOptions: connectionWatch(call.onConnectionOpen),
  });
  return {
    message: (params, call, betas) =>
      client.messages.create(params as MessageCreateParamsNonStreaming, requestOptions(call, betas)),
    countTokens: (params, call, betas) =>
      client.messages.countTokens(params as MessageCountTokensParams, requestOptions(call, betas)),
    stream: (params, call, betas) =>
      client.messages.create(params as MessageCreateParamsStreaming, requestOptions(call, betas)),
  };
}
