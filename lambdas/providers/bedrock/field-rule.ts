import type { ChatRequest } from '../../api/chat-schemas.js';
import { badRequest } from '../../core/errors.js';

/**
 * The field rule for Bedrock targets (Converse).
 * - Refused (400 unsupported_parameter naming the field; another target of the alias may take the request): fields
 *   Converse has no equivalent for and whose loss would change the answer — seed, frequency/presence penalties,
 *   logprobs, top_logprobs, a non-empty logit_bias, audio output. `null`/`false` mean unset.
 * - Dropped and named in X-Gateway-Ignored: hints without effect on the answer's meaning (store, service_tier,
 *   prompt_cache_*, safety_identifier, verbosity, top_k, user, prediction, parallel_tool_calls: false, tool
 *   defer_loading / eager_input_streaming, an earlier answer's reasoning_content, context_management), and the
 *   Claude-only settings (thinking, reasoning_effort) on a model id that is not Anthropic's.
 */
const REFUSED = ['seed', 'frequency_penalty', 'presence_penalty', 'top_logprobs'] as const;
const HINTS = [
  'store',
  'service_tier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'safety_identifier',
  'verbosity',
  'top_k',
  'user',
  'prediction',
  'context_management',
] as const;

function refuse(field: string, what = `${field} is not supported`): never {
  throw badRequest(
    `${what} by Bedrock targets (Converse API); remove it or route this request to another model.`,
    'unsupported_parameter',
    field,
  );
}

export function rejectUnsupported(request: ChatRequest): void {
  for (const field of REFUSED) if (request[field] != null) refuse(field);
  if (request.logprobs === true) refuse('logprobs');
  if (request.logit_bias != null && Object.keys(request.logit_bias).length > 0) refuse('logit_bias');
  if (request.modalities?.includes('audio') === true) refuse('modalities', 'Audio output is not supported');
}

/**
 * Anthropic's models on Bedrock, by model id or inference-profile ARN (`anthropic.…`, `us.anthropic.…`,
 * `…/global.anthropic.…`): the ones that take Claude's own settings (thinking, effort). An application inference
 * profile's ARN does not name its model: those get none.
 */
export const isAnthropicModel = (model: string): boolean => /(^|[./])anthropic\./.test(model);

export function ignoredByBedrock(request: ChatRequest, model: string): string[] {
  const fields: Record<string, unknown> = request;
  const ignored: string[] = HINTS.filter((field) => fields[field] != null && fields[field] !== false);
  const tools = request.tools ?? [];
  if (request.parallel_tool_calls === false) ignored.push('parallel_tool_calls');
  if (tools.some((tool) => tool.defer_loading !== undefined)) ignored.push('defer_loading');
  if (tools.some((tool) => tool.eager_input_streaming !== undefined)) ignored.push('eager_input_streaming');
  if (request.messages.some((message) => message.role === 'assistant' && message.reasoning_content != null))
    ignored.push('reasoning_content');
  // tool_choice none, when the conversation already has tool calls: the tools must go along (bedrock-tools.ts).
  const toolBlocks = request.messages.some(
    (message) => message.role === 'tool' || (message.role === 'assistant' && message.tool_calls !== undefined),
  );
  if (request.tool_choice === 'none' && request.tools !== undefined && toolBlocks) ignored.push('tool_choice');
  const claude = isAnthropicModel(model);
  if (request.thinking !== undefined && !claude) ignored.push('thinking');
  if (request.reasoning_effort != null && (!claude || request.reasoning_effort === 'none'))
    ignored.push('reasoning_effort');
  return ignored;
}
