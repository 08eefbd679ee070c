import type {
  MessageCountTokensParams,
  MessageCreateParamsNonStreaming,
  MessageCreateParamsStreaming,
} from '@anthropic-ai/sdk/resources/messages';
import Anthropic from '@anthropic-ai/sdk';
// The SDK's errors registered with upstream-error.ts, as the provider's modules do.
import '../../../lambdas/providers/anthropic/anthropic-errors.js';
import { ANTHROPIC_VERSION } from '../../../lambdas/providers/anthropic/anthropic-api.js';
import type { MessagesCalls } from '../../../lambdas/providers/anthropic/messages-call.js';
import type { ProviderCall } from '../../../lambdas/providers/types.js';
import { connectionWatch } from '../../../lambdas/transport/connect-watch.js';
import { nodeFetch } from '../../../lambdas/transport/node-fetch.js';

/**
 * The provider's calls as it made them through the SDK's client before messages-call.ts (the reference the lean
 * call is compared with): the client the provider built (key and base URL always passed, no SDK retries, the
 * gateway's timeout and transport, the SDK's logging off, the pinned API version), the request id and betas as
 * headers, the connection watch as fetchOptions.
 */
export function sdkMessagesCalls(options: { apiKey: string; baseURL: string; timeoutMs: number }): MessagesCalls {
  const client = new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: nodeFetch,
    defaultHeaders: { 'anthropic-version': ANTHROPIC_VERSION },
  });
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
