import OpenAI from 'openai';
import './openai-errors.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions';
import { nodeFetch } from '../../transport/node-fetch.js';
import { answerOf, isAbort, toGatewayError } from '../upstream-error.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart } from '../types.js';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { ignoredByOpenAI } from './ignored-fields.js';
import type { EmbedCall, EmbedResult } from '../embedding-types.js';
import type { NativeResponses } from '../native-responses.js';
import { openAIEmbed } from './openai-embeddings.js';
import { toOpenAIRequest, toStreamOptions } from './openai-request.js';
import { toChatResult } from './openai-response.js';
import { toStreamParts } from './openai-stream-parts.js';
import { ignoredByResponses } from './responses-ignored.js';
import { completeNative, streamNative } from './responses-lane.js';
import { applyQuirks, ignoredByQuirks, rejectByQuirks } from './quirks-request.js';
import type { VendorQuirks } from './vendor-quirks.js';
import { connectionWatch } from '../../transport/connect-watch.js';
import { phaseMark } from '../../observability/phase-marks.js';
import { ChatCall } from './chat-call.js';

type OpenAIProviderOptions = {
  readonly name: string;
  /** An OpenAI-compatible vendor's quirks (its `preset`) and the vendor's name for messages. */
  readonly quirks?: { readonly vendor: string; readonly quirks: VendorQuirks } | undefined;
  /** Calls from /v1/responses go to the Responses API (OpenAI itself; not OpenAI-compatible servers nor Azure). */
  readonly responsesApi?: boolean;
} & (
  | {
      readonly apiKey: string;
      readonly baseURL: string;
      readonly timeoutMs: number;
    }
  /** A client built elsewhere (Azure OpenAI: providers/azure/azure-client.ts). */
  | { readonly client: OpenAI }
);

/**
 * OpenAI and every OpenAI-compatible API (Azure OpenAI, Groq, vLLM, Ollama…), through the official SDK with the
 * gateway's own timeout, no SDK retries (the router owns retries) and no SDK logging; chat completions of a client
 * it builds itself go without the SDK's per-request pipeline (chat-call.ts), with the SDK's errors and SSE reader. Key and base URL come only
 * from configuration. With `responsesApi` (OpenAI), a call from /v1/responses (`call.native`) takes the native lane:
 * the Responses API (responses-lane.ts); every other call, and every call of an OpenAI-compatible server, chat
 * completions.
 */
export class OpenAIProvider implements ChatProvider {
  readonly name: string;
  readonly nativeResponses: boolean;
  private readonly client: OpenAI;
  /** Chat completions without the SDK's per-request pipeline (chat-call.ts); none for a client built elsewhere. */
  private readonly chat: ChatCall | undefined;
  private readonly quirks: OpenAIProviderOptions['quirks'];

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name;
    this.nativeResponses = options.responsesApi === true;
    this.quirks = options.quirks;
    if ('client' in options) {
      this.client = options.client;
      this.chat = undefined;
      return;
    }
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      maxRetries: 0,
      // The SDK's own console logger off, whatever OPENAI_LOG says: it reports a stream event that is not JSON on
      // console.error (and at debug prints whole requests), outside the gateway's logger and `logging.prompts`; the
      // gateway reports the failure itself (the stream's error part).
      logLevel: 'off',
      fetch: nodeFetch,
      organization: null,
      project: null,
    });
    this.chat = new ChatCall(options, this.client);
  }

  /** The upstream request, with the vendor's quirks applied (a field it refuses that matters: a 400 first). */
  private requestOf(call: ProviderCall): ChatCompletionCreateParamsBase {
    const body = toOpenAIRequest(call.request, call.model);
    if (this.quirks === undefined) return body;
    rejectByQuirks(call.request, this.quirks.quirks, this.quirks.vendor);
    return applyQuirks(body, this.quirks.quirks);
  }

  async complete(call: ProviderCall): Promise<ChatResult> {
    phaseMark?.('provider complete in');
    if (this.native(call)) return completeNative(this.client, this.name, call);
    const request = this.requestOf(call);
    phaseMark?.('request translated');
    let completion: ChatCompletion;
    try {
      // The lean call's body is unchecked like the SDK's (typed, not validated): answerOf below is the check.
      completion =
        this.chat !== undefined
          ? ((await this.chat.complete({ ...request, stream: false }, call)) as ChatCompletion)
          : await this.client.chat.completions.create(
              { ...request, stream: false },
              {
                signal: call.signal,
                headers: { 'X-Request-Id': call.requestId },
                fetchOptions: connectionWatch(call.onConnectionOpen),
              },
            );
    } catch (err) {
      if (isAbort(err)) throw err;
      throw toGatewayError(err, this.name);
    }
    phaseMark?.('upstream completion');
    // The SDK does not check the body's shape: a 200 carrying `{"error": …}` arrives here as a "completion".
    const result = answerOf(completion, toChatResult, this.name);
    phaseMark?.('chat result');
    return result;
  }

  async stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>> {
    if (this.native(call)) return streamNative(this.client, this.name, call);
    const request = this.requestOf(call);
    const options =
      this.quirks?.quirks.streamOptions === false ? {} : { stream_options: toStreamOptions(call.request) };
    let chunks: AsyncIterable<ChatCompletionChunk>;
    try {
      const params = { ...request, stream: true as const, ...options };
      chunks =
        this.chat !== undefined
          ? await this.chat.stream(params, call)
          : await this.client.chat.completions.create(params, {
              signal: call.signal,
              headers: { 'X-Request-Id': call.requestId },
            });
    } catch (err) {
      if (isAbort(err)) throw err;
      throw toGatewayError(err, this.name);
    }
    return toStreamParts(chunks, this.name);
  }

  ignoredFields(request: ChatRequest, _model?: string, native?: NativeResponses): readonly string[] {
    if (this.nativeResponses && native !== undefined) return ignoredByResponses(request);
    const ignored = ignoredByOpenAI(request);
    if (this.quirks === undefined) return ignored;
    return [...new Set([...ignored, ...ignoredByQuirks(request, this.quirks.quirks)])];
  }

  private native(call: ProviderCall): boolean {
    return this.nativeResponses && call.native !== undefined;
  }

  embed(call: EmbedCall): Promise<EmbedResult> {
    return openAIEmbed(this.client, this.name, call);
  }
}
