import type OpenAI from 'openai';
import './openai-errors.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
} from 'openai/resources/chat/completions';
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
import type { SdkClientOptions } from './sdk-client.js';

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
  /** The SDK client: given (Azure), or built on first use (sdk-client.ts) by the Responses lane or embeddings. */
  private client: Promise<OpenAI> | undefined;
  private readonly newClient: () => Promise<OpenAI>;
  /** Chat completions without the SDK's per-request pipeline (chat-call.ts); none for a client built elsewhere. */
  private readonly chat: ChatCall | undefined;
  private readonly quirks: OpenAIProviderOptions['quirks'];

  constructor(options: OpenAIProviderOptions) {
    this.name = options.name;
    this.nativeResponses = options.responsesApi === true;
    this.quirks = options.quirks;
    if ('client' in options) {
      const client = Promise.resolve(options.client);
      this.newClient = () => client;
      this.chat = undefined;
      return;
    }
    const settings: SdkClientOptions = {
      apiKey: options.apiKey,
      baseURL: options.baseURL,
      timeoutMs: options.timeoutMs,
    };
    // A dynamic import: a chat-only function never evaluates the SDK's client (its chunk loads on first use).
    this.newClient = async () => (await import('./sdk-client.js')).openAIClient(settings);
    this.chat = new ChatCall(settings);
  }

  private sdk(): Promise<OpenAI> {
    this.client ??= this.newClient().catch((err: unknown) => {
      this.client = undefined;
      throw err;
    });
    return this.client;
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
    if (this.native(call)) return completeNative(await this.sdk(), this.name, call);
    const request = this.requestOf(call);
    phaseMark?.('request translated');
    let completion: ChatCompletion;
    try {
      // The lean call's body is unchecked like the SDK's (typed, not validated): answerOf below is the check.
      completion =
        this.chat !== undefined
          ? ((await this.chat.complete({ ...request, stream: false }, call)) as ChatCompletion)
          : await (
              await this.sdk()
            ).chat.completions.create(
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
    if (this.native(call)) return streamNative(await this.sdk(), this.name, call);
    const request = this.requestOf(call);
    const options =
      this.quirks?.quirks.streamOptions === false ? {} : { stream_options: toStreamOptions(call.request) };
    let chunks: AsyncIterable<ChatCompletionChunk>;
    try {
      const params = { ...request, stream: true as const, ...options };
      chunks =
        this.chat !== undefined
          ? await this.chat.stream(params, call)
          : await (
              await this.sdk()
            ).chat.completions.create(params, {
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
    return this.sdk().then((client) => openAIEmbed(client, this.name, call));
  }
}
