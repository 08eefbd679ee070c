import type { OpenAICompatiblePreset } from '../../config/vendor-schemas.js';

/** Request fields a vendor may refuse whose loss would change the answer (sampling, token probabilities). */
export type RefusableField =
  'seed' | 'frequency_penalty' | 'presence_penalty' | 'logprobs' | 'top_logprobs' | 'logit_bias';

/** Hints a vendor may refuse or ignore: dropped from the upstream body and named in X-Gateway-Ignored. */
export type DroppableField =
  | 'user'
  | 'store'
  | 'service_tier'
  | 'prompt_cache_key'
  | 'prompt_cache_retention'
  | 'safety_identifier'
  | 'verbosity'
  | 'reasoning_effort'
  | 'parallel_tool_calls'
  | 'prediction'
  | 'modalities';

/**
 * What the OpenAI adapter does differently for one OpenAI-compatible vendor (`preset` of an openai-compatible
 * provider). Only quirks with a source are here (cited per preset). What every vendor shares is not a quirk: reading
 * `reasoning_content` / `reasoning`, DeepSeek's `prompt_cache_hit_tokens` and Groq's `x_groq.usage` (openai-response.ts,
 * openai-stream-parts.ts), and error bodies in other shapes (upstream-error.ts).
 */
export interface VendorQuirks {
  /** Set to a value, a 400 `unsupported_parameter` naming the field before anything is sent. */
  readonly refuses: readonly RefusableField[];
  /** Dropped, named when the client set them. */
  readonly drops: readonly DroppableField[];
  /** Fields the vendor knows by another name (same meaning). */
  readonly renames: Readonly<Partial<Record<'max_completion_tokens' | 'seed', string>>>;
  /** Message fields the vendor refuses: dropped (named `name` / `reasoning_content`). */
  readonly messageDrops: readonly ('name' | 'reasoning_content')[];
  /** Whether the vendor takes `stream_options` (else the usage comes without asking). */
  readonly streamOptions: boolean;
}

const NONE: VendorQuirks = { refuses: [], drops: [], renames: {}, messageDrops: [], streamOptions: true };

const QUIRKS: Readonly<Record<OpenAICompatiblePreset, VendorQuirks>> = {
  // 400 INVALID_ARGUMENT `Unknown name "seed"` / `"frequency_penalty"`: Cannot find field
  // (github.com/Vali-98/ChatterUI/issues/227, github.com/n4ze3m/page-assist/issues/418,
  // github.com/davidmigloz/langchain_dart/issues/726). Its error body is a JSON array of `{ error }`.
  gemini: { ...NONE, refuses: ['seed', 'frequency_penalty'] },
  // "will result in a 400 error if supplied: logprobs, logit_bias, top_logprobs, messages[].name"
  // (console.groq.com/docs/openai). A stream's usage also comes as `x_groq.usage` on its last chunk
  // (github.com/Portkey-AI/gateway/issues/1072).
  groq: { ...NONE, refuses: ['logprobs', 'top_logprobs', 'logit_bias'], messageDrops: ['name'] },
  // A strict schema: any other field is a 422 `extra_forbidden` "Extra inputs are not permitted", e.g.
  // max_completion_tokens (github.com/editor-code-assistant/eca/issues/231), metadata
  // (github.com/OpenHands/OpenHands-CLI/issues/83), an assistant's reasoning_content
  // (github.com/charmbracelet/crush/issues/1590), a message's name (github.com/Gage-Technologies/mistral-go/pull/2).
  // The fields it has: model, messages, temperature, top_p, max_tokens, stream, stop, random_seed, response_format,
  // tools, tool_choice, presence_penalty, frequency_penalty, n, prediction, parallel_tool_calls, safe_prompt
  // (its OpenAPI ChatCompletionRequest, docs.rs/crate/mistral-openapi-client). Its 422 body's `message` is an object.
  mistral: {
    refuses: ['logprobs', 'top_logprobs', 'logit_bias'],
    drops: [
      'user',
      'store',
      'service_tier',
      'prompt_cache_key',
      'prompt_cache_retention',
      'safety_identifier',
      'verbosity',
      'reasoning_effort',
      'modalities',
    ],
    renames: { max_completion_tokens: 'max_tokens', seed: 'random_seed' },
    messageDrops: ['name', 'reasoning_content'],
    streamOptions: false,
  },
  // Usage: prompt_cache_hit_tokens / prompt_cache_miss_tokens instead of cached_tokens
  // (docs.stigg.io/documentation/ai-agents/providers/deepseek): read for every OpenAI-compatible answer.
  deepseek: NONE,
  together: NONE,
  // Cached tokens only with --enable-prompt-tokens-details, else `prompt_tokens_details: null`
  // (docs.nvidia.com/aiperf/latest/reference/vendor-usage-field-reference); a stream's usage with
  // stream_options.include_usage, which the gateway always sends.
  vllm: NONE,
  // Ignores what is not on its list of supported fields (docs.ollama.com/api/openai-compatibility): max_tokens but
  // not max_completion_tokens; no logit_bias, user, store, service_tier, prompt caching or safety fields.
  ollama: {
    refuses: ['logit_bias'],
    drops: [
      'user',
      'store',
      'service_tier',
      'prompt_cache_key',
      'prompt_cache_retention',
      'safety_identifier',
      'verbosity',
      'prediction',
      'modalities',
    ],
    renames: { max_completion_tokens: 'max_tokens' },
    messageDrops: [],
    streamOptions: true,
  },
};

export const quirksOf = (preset: OpenAICompatiblePreset): VendorQuirks => QUIRKS[preset];
