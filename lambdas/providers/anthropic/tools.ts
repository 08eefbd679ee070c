import type { Tool, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { ChatRequest, ChatTool } from '../../api/chat-schemas.js';
import { cacheOf } from './content.js';

/**
 * OpenAI tools → Anthropic tools and tool_choice. A function without parameters takes an empty object;
 * `strict: true` maps to Anthropic's `strict` (schema-validated tool input); the tool's `cache_control`,
 * `defer_loading` and `eager_input_streaming` are passed as they are. `parallel_tool_calls: false` becomes
 * `disable_parallel_tool_use` on the tool_choice (an `auto` one when the client gave none); it has no meaning for
 * `none`. Without tools, tool_choice and parallel_tool_calls are not sent.
 */
interface AnthropicTools {
  readonly tools?: Tool[];
  readonly tool_choice?: ToolChoice;
}

const EMPTY_SCHEMA: Tool.InputSchema = { type: 'object', properties: {} };

export function toTool(tool: ChatTool): Tool {
  const fn = tool.function;
  return {
    name: fn.name,
    ...(fn.description === undefined ? {} : { description: fn.description }),
    input_schema: fn.parameters === undefined ? EMPTY_SCHEMA : { ...fn.parameters, type: 'object' },
    ...(fn.strict === true ? { strict: true } : {}),
    ...cacheOf(tool),
    ...(tool.defer_loading === undefined ? {} : { defer_loading: tool.defer_loading }),
    ...(tool.eager_input_streaming === undefined ? {} : { eager_input_streaming: tool.eager_input_streaming }),
  };
}

function baseChoice(choice: ChatRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  if (typeof choice === 'object') return { type: 'tool', name: choice.function.name };
  switch (choice) {
    case 'auto':
      return { type: 'auto' };
    case 'required':
      return { type: 'any' };
    case 'none':
      return { type: 'none' };
  }
}

export function toToolChoice(
  request: Pick<ChatRequest, 'tool_choice' | 'parallel_tool_calls'>,
): ToolChoice | undefined {
  const choice = baseChoice(request.tool_choice);
  if (request.parallel_tool_calls !== false) return choice;
  if (choice === undefined) return { type: 'auto', disable_parallel_tool_use: true };
  return choice.type === 'none' ? choice : { ...choice, disable_parallel_tool_use: true };
}

export function toAnthropicTools(
  request: Pick<ChatRequest, 'tools' | 'tool_choice' | 'parallel_tool_calls'>,
): AnthropicTools {
  if (request.tools === undefined) return {};
  const choice = toToolChoice(request);
  return { tools: request.tools.map(toTool), ...(choice === undefined ? {} : { tool_choice: choice }) };
}
