import type { ResponseIncludable } from 'openai/resources/responses/responses';

/**
 * The Responses API's own request fields, which the canonical request has no place for: set by the /v1/responses
 * format beside it (formats/openai-responses/responses-native.ts) and carried on the ProviderCall. A provider that
 * calls the Responses API itself (`ChatProvider.nativeResponses`: OpenAI) sends them upstream; every other target
 * drops them, and the answer names `dropped` in X-Gateway-Ignored.
 */
export interface NativeResponses {
  /** `include` as the client asked (e.g. `reasoning.encrypted_content`). */
  readonly include?: readonly ResponseIncludable[];
  readonly reasoningSummary?: 'auto' | 'concise' | 'detailed';
  readonly truncation?: 'auto' | 'disabled';
  readonly maxToolCalls?: number;
  readonly topLogprobs?: number;
  /**
   * Hosted tools' earlier items the client replays (web_search_call…, as Codex sends them back), as sent, each with
   * the index of the canonical message it stood before (`before`: messages.length when it came last).
   */
  readonly replayed?: readonly ReplayedItem[];
  /** These fields' names as the format names them when a target drops them (X-Gateway-Ignored). */
  readonly dropped: readonly string[];
}

/** A hosted tool's earlier item in the conversation, placed before the canonical message `before`. */
export interface ReplayedItem {
  readonly before: number;
  readonly item: Readonly<Record<string, unknown>>;
}
