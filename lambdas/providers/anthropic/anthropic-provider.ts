import type Anthropic from '@anthropic-ai/sdk';
import type { ChatRequest } from '../../api/chat-schemas.js';
import type { Message, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { answerOf, isAbort, toGatewayError } from '../upstream-error.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart } from '../types.js';
import { betaHeaders } from './betas.js';
import { createAnthropicClient } from './anthropic-client.js';
import { toCountTokensParams } from './anthropic-count.js';
import { toMessageCreateParams } from './anthropic-request.js';
import { ignoredByAnthropic } from './ignored-fields.js';
import { toChatResult } from './anthropic-response.js';
import { withServerTools } from './server-tools.js';
import { toStreamParts } from './anthropic-stream-parts.js';
import { connectionWatch } from '../../transport/connect-watch.js';

export { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_VERSION } from './anthropic-client.js';

interface AnthropicProviderOptions {
  /** The provider's name in the configuration (appears in error messages). */
  readonly name: string;
  readonly apiKey: string;
  /** Always given (ANTHROPIC_DEFAULT_BASE_URL for Anthropic itself): the SDK would otherwise read the environment. */
  readonly baseURL: string;
  /** Until the upstream's response headers arrive; the call's signal bounds the rest. */
  readonly timeoutMs: number;
  /** max_tokens when the request sets neither max_completion_tokens nor max_tokens (Anthropic requires one). */
  readonly defaultMaxTokens: number;
}

/**
 * Anthropic's Messages API (version ANTHROPIC_VERSION) through the official SDK. Requests that cannot be translated
 * are a 400 before any upstream call; upstream failures are mapped once by toGatewayError; an abort is rethrown.
 */
export class AnthropicProvider implements ChatProvider {
  readonly name: string;
  private readonly client: Anthropic;
  private readonly defaultMaxTokens: number;

  constructor(options: AnthropicProviderOptions) {
    this.name = options.name;
    this.defaultMaxTokens = options.defaultMaxTokens;
    this.client = createAnthropicClient(options);
  }

  async complete(call: ProviderCall): Promise<ChatResult> {
    const params = this.paramsOf(call);
    let message: Message;
    try {
      message = await this.client.messages.create({ ...params, stream: false }, requestOptions(call));
    } catch (err) {
      throw this.failure(err);
    }
    // The SDK does not check the body's shape: a 200 carrying `{"error": …}` arrives here as a "message".
    return answerOf(message, toChatResult, this.name);
  }

  /** Resolves once Anthropic answered 200 (an HTTP error rejects here, before any part). */
  async stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>> {
    const params = this.paramsOf(call);
    let events: AsyncIterable<RawMessageStreamEvent>;
    try {
      events = await this.client.messages.create({ ...params, stream: true }, requestOptions(call));
    } catch (err) {
      throw this.failure(err);
    }
    return toStreamParts(events, { provider: this.name, signal: call.signal });
  }

  /** Anthropic's count_tokens, on the request translated as a create would send it. */
  async countTokens(call: ProviderCall): Promise<number> {
    const params = toCountTokensParams(this.paramsOf(call));
    try {
      const count = await this.client.messages.countTokens(params, requestOptions(call));
      return answerOf(count, tokensOf, this.name);
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** The Messages params, with the server tools this target runs (ProviderCall.hosted). */
  private paramsOf(call: ProviderCall) {
    return withServerTools(toMessageCreateParams(call.request, call.model, this.defaultMaxTokens), call.hosted);
  }

  ignoredFields(request: ChatRequest): readonly string[] {
    return ignoredByAnthropic(request);
  }

  private failure(err: unknown): unknown {
    return isAbort(err) ? err : toGatewayError(err, this.name);
  }
}

const tokensOf = (count: { input_tokens: unknown }): number => {
  if (typeof count.input_tokens !== 'number' || !Number.isSafeInteger(count.input_tokens) || count.input_tokens < 0)
    throw new TypeError('not a token count');
  return count.input_tokens;
};

const requestOptions = (call: ProviderCall) => ({
  signal: call.signal,
  headers: { 'X-Request-Id': call.requestId, ...betaHeaders(call, call.request) },
  fetchOptions: connectionWatch(call.onConnectionOpen),
});
