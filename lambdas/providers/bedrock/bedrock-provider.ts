import {
  ConverseCommand,
  ConverseStreamCommand,
  type ConverseResponse,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { GatewayError } from '../../core/errors.js';
import { answerOf, isAbort } from '../upstream-error.js';
import type { ChatProvider, ChatResult, ProviderCall, StreamPart } from '../types.js';
import type { EmbedCall, EmbedResult } from '../embedding-types.js';
import { bedrockClientFor } from './bedrock-client.js';
import { embedOnBedrock } from './bedrock-embed.js';
import { bedrockError } from './bedrock-error.js';
import { converseInput, converseStreamInput } from './bedrock-request.js';
import { toChatResult } from './bedrock-response.js';
import { toStreamParts } from './bedrock-stream-parts.js';
import { ignoredByBedrock } from './field-rule.js';

interface BedrockProviderOptions {
  /** The provider's name in the configuration (appears in error messages). */
  readonly name: string;
  /** The provider's region; a target's `region` overrides it (ProviderCall.region). */
  readonly region: string;
  /** Until the runtime's response headers arrive; the call's signal bounds the rest. */
  readonly timeoutMs: number;
}

/**
 * Amazon Bedrock's Converse and ConverseStream APIs through @aws-sdk/client-bedrock-runtime: the target's `model` is
 * a model id or an inference-profile ARN, its region the target's or the provider's (one client per region per
 * process, bedrock-client.ts). No key: the AWS credential chain signs the calls. Requests that cannot be translated
 * are a 400 before any call; failures are mapped once by bedrockError; an abort is rethrown.
 */
export class BedrockProvider implements ChatProvider {
  readonly name: string;
  private readonly region: string;
  private readonly timeoutMs: number;

  constructor(options: BedrockProviderOptions) {
    this.name = options.name;
    this.region = options.region;
    this.timeoutMs = options.timeoutMs;
  }

  async complete(call: ProviderCall): Promise<ChatResult> {
    // The AWS SDK's HTTP/2 handler does not tell when its connection is open: connectMs does not bound a Bedrock
    // call; its requestTimeout (the provider's timeoutMs of silence) and the request's deadline do.
    call.onConnectionOpen?.();
    const input = converseInput(call);
    let response: ConverseResponse;
    try {
      response = await this.client(call).send(new ConverseCommand(input), this.options(call));
    } catch (err) {
      throw this.failure(err);
    }
    return answerOf(response, toChatResult, this.name);
  }

  /** Resolves once Bedrock answered 200 (an HTTP error rejects here, before any part). */
  async stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>> {
    const input = converseStreamInput(call);
    let events: AsyncIterable<ConverseStreamOutput> | undefined;
    try {
      events = (await this.client(call).send(new ConverseStreamCommand(input), this.options(call))).stream;
    } catch (err) {
      throw this.failure(err);
    }
    if (events === undefined) {
      throw new GatewayError({ message: `Provider ${this.name} sent no stream.`, code: 'upstream_invalid_response' });
    }
    return toStreamParts(events, { provider: this.name, signal: call.signal });
  }

  /** Titan and Cohere embeddings through InvokeModel (bedrock-embed.ts), in the call's region or the provider's. */
  embed(call: EmbedCall): Promise<EmbedResult> {
    return embedOnBedrock(bedrockClientFor(call.region ?? this.region), call, {
      provider: this.name,
      timeoutMs: this.timeoutMs,
    });
  }

  ignoredFields(request: ChatRequest, model: string): readonly string[] {
    return ignoredByBedrock(request, model);
  }

  private client(call: ProviderCall) {
    return bedrockClientFor(call.region ?? this.region);
  }

  private options(call: ProviderCall) {
    return { abortSignal: call.signal, requestTimeout: this.timeoutMs };
  }

  private failure(err: unknown): unknown {
    return isAbort(err) ? err : bedrockError(err, this.name);
  }
}
