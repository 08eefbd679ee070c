import type { OutputConfig } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest } from '../../api/chat-schemas.js';
import { AT_DEFAULT } from './unsupported.js';

/**
 * Hints an Anthropic target has no equivalent for and that do not change the answer's meaning: dropped, and named in
 * the answer's X-Gateway-Ignored header. `null` (and `store: false`) mean unset.
 */
const HINTS = [
  'store',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'verbosity',
  'top_k',
];
// top_k: the API version the gateway speaks (2026-10-21) has no sampling parameters; a sampling hint, like on OpenAI.
// service_tier: Anthropic's own tiers (auto, standard_only) are passed; OpenAI's have no equivalent.
const PASSED: Readonly<Record<string, readonly unknown[]>> = { service_tier: ['auto', 'standard_only'] };

export function ignoredByAnthropic(request: ChatRequest): string[] {
  const fields: Record<string, unknown> = request;
  const ignored = HINTS.filter(
    (field) => fields[field] != null && fields[field] !== false && !(PASSED[field]?.includes(fields[field]) ?? false),
  );
  for (const [field, value] of Object.entries(AT_DEFAULT)) if (fields[field] === value) ignored.push(field);
  if (request.prediction != null) ignored.push('prediction');
  // An earlier answer's reasoning text, sent back: Anthropic takes thinking blocks only, signed (thinking_blocks).
  if (request.messages.some((message) => message.role === 'assistant' && message.reasoning_content != null))
    ignored.push('reasoning_content');
  // OpenAI reasoning items sent back (thinking.ts leaves them out): only an OpenAI target can take them.
  if (
    request.messages.some(
      (message) =>
        message.role === 'assistant' && message.thinking_blocks?.some((block) => block.type === 'openai_reasoning'),
    )
  )
    ignored.push('thinking_blocks[openai_reasoning]');
  // 'none' asks for no reasoning, which Anthropic's effort levels cannot say (their lowest is 'low').
  if (request.reasoning_effort === 'none') ignored.push('reasoning_effort');
  return ignored;
}

/** reasoning_effort → Anthropic's output_config.effort: the same levels; 'minimal' is its lowest, 'low'. */
export function effortOf(effort: ChatRequest['reasoning_effort']): OutputConfig['effort'] | undefined {
  switch (effort) {
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
    case 'high':
    case 'xhigh':
      return effort;
    default:
      return undefined;
  }
}
