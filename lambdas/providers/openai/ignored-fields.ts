import type { ChatRequest } from '../../api/chat-schemas.js';

/**
 * Anthropic-only fields an OpenAI (or OpenAI-compatible) target has no equivalent for: hints that do not change the
 * answer's meaning, dropped from the upstream body (openai-request.ts) and named in X-Gateway-Ignored.
 * `thinking` is translated to reasoning_effort when the client gave none and it sets a budget; otherwise named.
 */
type Part = {
  readonly type: string;
  readonly cache_control?: unknown;
  readonly context?: unknown;
  readonly citations?: unknown;
};

const partsOf = (request: ChatRequest): Part[] =>
  request.messages.flatMap((message) =>
    typeof message.content === 'object' && message.content !== null ? message.content : [],
  );

export function ignoredByOpenAI(request: ChatRequest): string[] {
  const parts = partsOf(request);
  const tools = request.tools ?? [];
  const found: Record<string, boolean> = {
    cache_control:
      parts.some((part) => part.cache_control !== undefined) ||
      request.messages.some((message) => message.role === 'tool' && message.cache_control !== undefined) ||
      tools.some((tool) => tool.cache_control !== undefined),
    top_k: request.top_k !== undefined,
    thinking: request.thinking !== undefined && thinkingEffort(request) === undefined,
    context_management: request.context_management !== undefined,
    thinking_blocks: request.messages.some(
      (message) => message.role === 'assistant' && message.thinking_blocks !== undefined,
    ),
    defer_loading: tools.some((tool) => tool.defer_loading !== undefined),
    eager_input_streaming: tools.some((tool) => tool.eager_input_streaming !== undefined),
    service_tier: request.service_tier === 'standard_only',
    context: parts.some((part) => part.context !== undefined),
    citations: parts.some((part) => part.citations !== undefined),
  };
  return Object.keys(found).filter((field) => found[field] === true);
}

/**
 * Anthropic's `thinking` as reasoning_effort, when the client gave no reasoning_effort: a budget up to 4,096 tokens
 * is low, up to 16,384 medium, more high. Adaptive and disabled thinking set nothing (named as ignored).
 */
export function thinkingEffort(request: ChatRequest): 'low' | 'medium' | 'high' | undefined {
  const thinking = request.thinking;
  if (request.reasoning_effort !== undefined || thinking?.type !== 'enabled') return undefined;
  if (thinking.budget_tokens <= 4_096) return 'low';
  return thinking.budget_tokens <= 16_384 ? 'medium' : 'high';
}
