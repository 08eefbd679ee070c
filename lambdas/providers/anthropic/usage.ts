import { reportedUsage, tokenCount } from '../../usage/usage-counts.js';
import type { Usage } from '../types.js';

/**
 * Anthropic usage → the gateway's Usage. Anthropic's `input_tokens` excludes cached input: every input token is
 * input_tokens + cache_creation_input_tokens + cache_read_input_tokens (the cache fields may be null or absent).
 * `cache_creation` splits the cache writes by TTL; its one-hour part is priced apart.
 */
export interface AnthropicUsage {
  readonly input_tokens?: number | null;
  readonly output_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation?: {
    readonly ephemeral_1h_input_tokens?: number | null;
    readonly ephemeral_5m_input_tokens?: number | null;
  } | null;
  /** The server tools' runs (web search requests), booked at the model's per-search price. */
  readonly server_tool_use?: { readonly web_search_requests?: number | null } | null;
}

export function toUsage(usage: AnthropicUsage): Usage {
  const cacheWrite = tokenCount(usage.cache_creation_input_tokens) ?? 0;
  const cacheRead = tokenCount(usage.cache_read_input_tokens) ?? 0;
  const input = tokenCount(usage.input_tokens);
  const searches = tokenCount(usage.server_tool_use?.web_search_requests);
  // A count left out (or null) is estimated by metering (usage-counts.ts), not booked as 0.
  return reportedUsage(
    {
      input: input === undefined ? undefined : input + cacheWrite + cacheRead,
      output: usage.output_tokens,
      cached: cacheRead,
      cacheWrite,
    },
    {
      // Only where Anthropic split the writes by TTL: the split is handed back as it came (/v1/messages).
      ...(usage.cache_creation
        ? { cacheWrite1hTokens: tokenCount(usage.cache_creation.ephemeral_1h_input_tokens) ?? 0 }
        : {}),
      ...(searches === undefined || searches === 0 ? {} : { webSearches: searches }),
    },
  );
}

/**
 * A stream's usage so far: message_start carries the input counts, each message_delta cumulative counts where a
 * field is null when it did not change. A later non-null value replaces an earlier one.
 */
export function mergeUsage(earlier: AnthropicUsage, later: AnthropicUsage): AnthropicUsage {
  return {
    input_tokens: later.input_tokens ?? earlier.input_tokens ?? null,
    output_tokens: later.output_tokens ?? earlier.output_tokens ?? null,
    cache_creation_input_tokens: later.cache_creation_input_tokens ?? earlier.cache_creation_input_tokens ?? null,
    cache_read_input_tokens: later.cache_read_input_tokens ?? earlier.cache_read_input_tokens ?? null,
    cache_creation: later.cache_creation ?? earlier.cache_creation ?? null,
    server_tool_use: later.server_tool_use ?? earlier.server_tool_use ?? null,
  };
}
