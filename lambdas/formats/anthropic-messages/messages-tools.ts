import type { ChatTool } from '../../api/chat-schemas.js';
import type { MessagesCustomTool, MessagesRequest } from '../../api/messages-schemas.js';
import { badRequest } from '../../core/errors.js';
import { cacheOf } from './messages-documents.js';

/**
 * /v1/messages tools → canonical function tools: input_schema → parameters (strict kept); `cache_control`,
 * `defer_loading` and `eager_input_streaming` ride along for Anthropic targets. A provider-hosted (server) tool —
 * any `type` other than custom: web_search_*, code_execution_*, bash_*, text_editor_*… — is a 400 unsupported_tool
 * naming it: the gateway runs no provider-hosted tools on any target, and dropping it would change the answer.
 */
type Tool = NonNullable<MessagesRequest['tools']>[number];

const isCustom = (tool: Tool): tool is MessagesCustomTool => tool.type === undefined || tool.type === 'custom';

function toolOf(tool: Tool, index: number): ChatTool {
  if (!isCustom(tool)) {
    throw badRequest(
      `The tool "${String(tool.name).slice(0, 64)}" (type ${JSON.stringify(String(tool.type).slice(0, 64))}) is a ` +
        'provider-hosted tool; this gateway does not run provider-hosted tools: remove it or define it as a custom tool.',
      'unsupported_tool',
      `tools[${index}]`,
    );
  }
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
  if (tools === undefined || tools.length === 0) return {};
  return { tools: tools.map(toolOf) };
}
