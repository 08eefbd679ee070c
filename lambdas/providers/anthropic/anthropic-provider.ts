import type { ChatRequest } from '../../api/chat-schemas.js';
import type { Message, MessageTokensCount, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { answerOf, isAbort, toGatewayError } from '../upstream-error.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart } from '../types.js';
import { betaHeaders } from './betas.js';
import { toCountTokensParams } from './anthropic-count.js';
import { toMessageCreateParams } from './anthropic-request.js';
import { ignoredByAnthropic } from './ignored-fields.js';
import { toChatResult } from './anthropic-response.js';
import { withServerTools } from './server-tools.js';
import { toStreamParts } from './anthropic-stream-parts.js';
import { MessagesCall, type MessagesCalls } from './messages-call.js';

export { ANTHROPIC_DEFAULT_BASE_URL, ANTHROPIC_VERSION } from './anthropic-api.js';

interface AnthropicProviderOptions {
  /** The provider's name in the configuration (appears in error messages). */
  readonly name: string;
  readonly apiKey: string;
  /** Always given (ANTHROPIC_DEFAULT_BASE_URL for Anthropic itself). */
  readonly baseURL: string;
  /** Until a JSON answer's last byte, a stream's head; the call's signal bounds the rest. */
  readonly timeoutMs: number;
  /** max_tokens when the request sets neither max_completion_tokens nor max_tokens (Anthropic requires one). */
  readonly defaultMaxTokens: number;
  /** The same calls by other means (tests: through the SDK's client, to compare); else the lean MessagesCall. */
  readonly calls?: MessagesCalls;
}

/**
 * Anthropic's Messages API (version ANTHROPIC_VERSION): its calls without the SDK's per-request pipeline
 * (messages-call.ts), with the SDK's errors, SSE reader and types; the SDK's client is not loaded. Requests that
 * cannot be translated are a 400 before any upstream call; upstream failures are mapped once by toGatewayError; an
 * abort is rethrown.
 */
export class AnthropicProvider implements ChatProvider {
  readonly name: string;
  private readonly calls: MessagesCalls;
  private readonly defaultMaxTokens: number;

  constructor(options: AnthropicProviderOptions) {
    this.name = options.name;
    this.defaultMaxTokens = options.defaultMaxTokens;
    this.calls = options.calls ?? new MessagesCall(options);
  }

  async complete(call: ProviderCall): Promise<ChatResult> {
    const params = this.paramsOf(call);
    let message: Message;
    try {
      // The body is unchecked like the SDK's (typed, not validated): answerOf below is the check.
      message = (await this.calls.message({ ...params, stream: false }, call, betasOf(call))) as Message;
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
      events = await this.calls.stream({ ...params, stream: true }, call, betasOf(call));
    } catch (err) {
      throw this.failure(err);
    }
    return toStreamParts(events, { provider: this.name, signal: call.signal });
  }

  /** Anthropic's count_tokens, on the request translated as a create would send it. */
  async countTokens(call: ProviderCall): Promise<number> {
    const params = toCountTokensParams(this.paramsOf(call));
    try {
      const count = (await this.calls.countTokens(params, call, betasOf(call))) as MessageTokensCount;
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

const betasOf = (call: ProviderCall) => betaHeaders(call, call.request);
