import type { ChatTool } from '../../api/chat-schemas.js';
import type { MessagesCustomTool, MessagesRequest } from '../../api/messages-schemas.js';
import { cacheOf } from './messages-documents.js';

/**
 * /v1/messages tools → canonical function tools: input_schema → parameters (strict kept); `cache_control`,
 * `defer_loading` and `eager_input_streaming` ride along for Anthropic targets. A provider-hosted (server) tool —
 * any `type` other than custom: web_search_*, code_execution_*, bash_*, text_editor_*… — is not a canonical tool:
 * messages-hosted.ts (Anthropic targets run it as sent; on an alias without one, a 400 unsupported_tool naming it).
 */
type Tool = NonNullable<MessagesRequest['tools']>[number];

const isCustom = (tool: Tool): tool is MessagesCustomTool => tool.type === undefined || tool.type === 'custom';

function toolOf(tool: MessagesCustomTool): ChatTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.input_schema,
      ...(tool.strict === undefined ? {} : { strict: tool.strict }),
    },
    ...cacheOf(tool.cache_control),
    ...(tool.defer_loading === undefined ? {} : { defer_loading: tool.defer_loading }),
    ...(tool.eager_input_streaming == null ? {} : { eager_input_streaming: tool.eager_input_streaming }),
  };
}

export function toChatTools(tools: MessagesRequest['tools']): { tools?: ChatTool[] } {
  const custom = (tools ?? []).filter(isCustom);
  if (custom.length === 0) return {};
  return { tools: custom.map(toolOf) };
}
