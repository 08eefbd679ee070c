import type { ChatRequest } from '../api/chat-schemas.js';
import type { GatewayError } from '../core/errors.js';
import type { EmbedCall, EmbedResult } from './embedding-types.js';
import type { Citation, HostedCall, HostedTools } from './hosted-tools.js';
import type { NativeResponses } from './native-responses.js';

/**
 * The one provider interface. Requests are the validated OpenAI-format ChatRequest (the gateway's canonical form);
 * each provider module translates to and from its vendor. Streams are typed parts; SSE framing exists only at the
 * HTTP edge (lambdas/formats/sse-stream.ts).
 */
export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

/**
 * Token counts of one call. `inputTokens` counts every input token, cached ones included (OpenAI's prompt_tokens;
 * for Anthropic input_tokens + cache_creation_input_tokens + cache_read_input_tokens); `cachedInputTokens` and
 * `cacheWriteTokens` are the parts of it read from and written to the provider's cache. `cacheWrite1hTokens`, when a
 * provider says so (Anthropic's `cache_creation.ephemeral_1h_input_tokens`), is the part of `cacheWriteTokens` written
 * to a one-hour cache, which costs more than the default five-minute one; absent means none.
 */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedInputTokens: number;
  readonly cacheWriteTokens: number;
  readonly cacheWrite1hTokens?: number;
  /** The part of `outputTokens` the model spent reasoning, when the provider says (OpenAI's reasoning_tokens). */
  readonly reasoningTokens?: number;
  /** Web searches a provider-hosted web search tool ran (Anthropic's server_tool_use, OpenAI's web_search_call). */
  readonly webSearches?: number;
  /** Counts the provider left out (0 above): metering estimates them and marks the entry estimated. */
  readonly unreported?: readonly ('inputTokens' | 'outputTokens')[];
}

export interface ToolCall {
  readonly id: string;
  readonly name: string;
  /** JSON text, as the model produced it. */
  readonly arguments: string;
}

/**
 * One block of the model's reasoning, as Anthropic returns it: `thinking` (its text and the `signature` that lets the
 * block be sent back in a later turn; '' from providers that sign nothing, e.g. an OpenAI-compatible server's
 * `reasoning_content`) or `redacted_thinking` (encrypted `data`, opaque). A client sends them back unchanged.
 */
export type ReasoningBlock =
  | { readonly type: 'thinking'; readonly thinking: string; readonly signature: string }
  | { readonly type: 'redacted_thinking'; readonly data: string }
  /**
   * An OpenAI reasoning item (Responses API): its `id`, its summary texts (one per summary part) and, when the client
   * asked for it (`include: ["reasoning.encrypted_content"]`), the opaque `encrypted_content` that carries it into a
   * later turn. Only an OpenAI target can take it back.
   */
  | {
      readonly type: 'openai_reasoning';
      readonly id: string;
      readonly summary: readonly string[];
      readonly encrypted_content?: string | undefined;
    };

export interface ChatResult {
  readonly content: string | null;
  readonly refusal: string | null;
  readonly toolCalls: readonly ToolCall[];
  readonly finishReason: FinishReason;
  /** The stop sequence that ended the answer, when the provider says which (Anthropic does, OpenAI does not). */
  readonly stopSequence?: string | undefined;
  readonly usage: Usage | undefined;
  /** The model's reasoning blocks in answer order; absent when it gave none. */
  readonly reasoning?: readonly ReasoningBlock[] | undefined;
  /**
   * Where each reasoning block stood (same order as `reasoning`): how many tool calls came before it in the answer
   * (Anthropic interleaves thinking → tool_use → thinking → tool_use). Absent: all of them came before any tool
   * call.
   */
  readonly reasoningAfterToolCalls?: readonly number[] | undefined;
  /** Provider-hosted tool runs (providers/hosted-tools.ts), in answer order; absent when none ran. */
  readonly hosted?: readonly HostedCall[] | undefined;
  /** Citations of the text (a hosted web search's sources); absent when none. */
  readonly citations?: readonly Citation[] | undefined;
}

/**
 * Stream parts. Tool calls are keyed by `index`: 0, 1, … in the order the calls start, distinct for parallel calls.
 * A failure after the stream began is an `error` part (then the stream ends); nothing throws mid-stream. A stream
 * that ends without a `finish` part was cut short (lambdas/routing/committed-stream.ts turns that into an error).
 */
export type StreamPart =
  | { readonly type: 'text-delta'; readonly delta: string }
  /**
   * Reasoning, by block: `index` numbers the reasoning blocks 0, 1, … in the order they start (a new index is a new
   * block, so a block's boundary is never ambiguous). A `thinking` block is its `reasoning-delta` texts then at most
   * one `reasoning-signature` (Anthropic's signature_delta, at the block's end); a `redacted_thinking` block is one
   * `reasoning-redacted` part. Reasoning is content: it goes out to the client as it comes.
   */
  | {
      readonly type: 'reasoning-delta';
      readonly index: number;
      readonly delta: string;
      /** OpenAI reasoning items: which summary part of the item this text belongs to (0 when absent). */
      readonly summaryIndex?: number;
    }
  | { readonly type: 'reasoning-signature'; readonly index: number; readonly signature: string }
  | { readonly type: 'reasoning-redacted'; readonly index: number; readonly data: string }
  /**
   * An OpenAI reasoning item complete (after its `reasoning-delta` summary texts, if any): it ends block `index`
   * with the item's id, full summary and encrypted content.
   */
  | {
      readonly type: 'reasoning-item';
      readonly index: number;
      readonly id: string;
      readonly summary: readonly string[];
      readonly encrypted_content?: string | undefined;
    }
  /** A provider-hosted tool ran (complete, with its result); `at` is the text streamed before it. */
  | { readonly type: 'hosted-call'; readonly call: HostedCall }
  /** A citation of text already streamed (its [start, end) within the whole text). */
  | { readonly type: 'citation'; readonly citation: Citation }
  /** Refusal text (OpenAI's `delta.refusal`): the model declined; it is not content. */
  | { readonly type: 'refusal-delta'; readonly delta: string }
  | { readonly type: 'tool-call-start'; readonly index: number; readonly id: string; readonly name: string }
  | { readonly type: 'tool-call-delta'; readonly index: number; readonly argumentsDelta: string }
  | { readonly type: 'finish'; readonly finishReason: FinishReason; readonly stopSequence?: string | undefined }
  /**
   * The provider's counts. `partial`: what it reported before the end (Anthropic's message_start: the input counts),
   * kept for a stream that fails before its final usage; a later usage part replaces it.
   */
  | { readonly type: 'usage'; readonly usage: Usage; readonly partial?: boolean }
  | { readonly type: 'error'; readonly error: GatewayError };

export interface ProviderCall {
  /** The client's request with the target's parameter overrides applied. */
  readonly request: ChatRequest;
  /** The upstream model name (the target's `model`). */
  readonly model: string;
  /** Sent upstream as X-Request-Id. */
  readonly requestId: string;
  /** Aborted when the client goes away or the deadline passes. */
  readonly signal: AbortSignal;
  /**
   * JSON calls bounded by connectMs (routing/connect.ts): told when the upstream connection is open. The SDK adapters
   * hand it to the transport (`connectionWatch` as fetchOptions); a provider that cannot tell calls it at once.
   */
  readonly onConnectionOpen?: (() => void) | undefined;
  /**
   * The client's `anthropic-beta` tokens (Anthropic-format routes): sent as `anthropic-beta` to Anthropic targets,
   * ignored by the others.
   */
  readonly betas?: readonly string[];
  /**
   * The client came on /v1/responses: the Responses API's own fields. A provider with `nativeResponses` calls the
   * Responses API with them; the others ignore them (the chat service names them as dropped).
   */
  readonly native?: NativeResponses;
  /** The provider-hosted tools this target runs (chat/hosted-gate.ts decided): sent upstream beside the tools. */
  readonly hosted?: HostedTools;
  /** Bedrock targets: the target's own region (else the provider's) and its Guardrail; ignored by the others. */
  readonly region?: string | undefined;
  readonly guardrail?: { readonly identifier: string; readonly version: string } | undefined;
}

export interface ChatProvider {
  /** The provider's name in the configuration. */
  readonly name: string;
  complete(call: ProviderCall): Promise<ChatResult>;
  /**
   * Resolves once the upstream accepted the request (its HTTP status is known), so a failure to start is a
   * rejection the router can still fail over from; what follows is the stream of parts.
   */
  stream(call: ProviderCall): Promise<AsyncIterable<StreamPart>>;
  /**
   * The request's fields this provider drops as hints without effect on the answer's meaning (named in the answer's
   * X-Gateway-Ignored header) for the target's upstream `model`; absent: it drops none.
   */
  ignoredFields?(request: ChatRequest, model: string, native?: NativeResponses): readonly string[];
  /**
   * Whether this provider calls the Responses API itself for a call that carries `native` (OpenAI targets, with their
   * reasoning items and `include`); absent: it translates the canonical request and drops `native`'s fields.
   */
  readonly nativeResponses?: boolean;
  /**
   * The request's input tokens as the provider counts them (Anthropic's count_tokens), translated like a create;
   * absent: the provider has no count, and the gateway estimates (lambdas/chat/count-tokens.ts).
   */
  countTokens?(call: ProviderCall): Promise<number>;
  /** Embeddings (lambdas/embeddings); absent: the provider serves none (configuration load checks embedding aliases). */
  embed?(call: EmbedCall): Promise<EmbedResult>;
}
