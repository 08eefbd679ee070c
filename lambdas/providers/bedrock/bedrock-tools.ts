import type { Message, Tool, ToolChoice, ToolConfiguration, ToolInputSchema } from '@aws-sdk/client-bedrock-runtime';
import type { ChatRequest, ChatTool } from '../../api/chat-schemas.js';
import { cachePointAfter } from './bedrock-content.js';

/**
 * OpenAI tools and tool_choice → Converse's toolConfig. A function's parameters are the toolSpec's JSON schema (an
 * empty object schema without any); `strict: true` → toolSpec.strict; a tool's `cache_control` → a cachePoint after
 * it in the tool list. tool_choice: auto → auto, required → any, a named function → tool.
 * `none` has no Converse equivalent: the tools are left out (the model then cannot call one), unless the conversation
 * already holds toolUse/toolResult blocks — Converse refuses those without a toolConfig — then the tools go without a
 * choice and `tool_choice` is named in X-Gateway-Ignored (field-rule.ts).
 * A conversation with tool blocks but no tools (a client that drops them on the turn after its tool calls) gets a
 * toolSpec per tool name it used, with an open object schema, for the same reason.
 */
const OPEN_SCHEMA = { type: 'object', properties: {} };

const schemaOf = (json: Record<string, unknown>): ToolInputSchema.JsonMember => ({
  json: json as ToolInputSchema.JsonMember['json'],
});

function toolOf(tool: ChatTool): Tool[] {
  const fn = tool.function;
  const spec: Tool = {
    toolSpec: {
      name: fn.name,
      ...(fn.description === undefined ? {} : { description: fn.description }),
      inputSchema: schemaOf(fn.parameters === undefined ? OPEN_SCHEMA : { ...fn.parameters, type: 'object' }),
      ...(fn.strict === true ? { strict: true } : {}),
    },
  };
  return [spec, ...cachePointAfter(tool)];
}

function choiceOf(choice: ChatRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined || choice === 'none') return undefined;
  if (typeof choice === 'object') return { tool: { name: choice.function.name } };
  return choice === 'required' ? { any: {} } : { auto: {} };
}

/** The tool names the conversation's toolUse blocks call, for a toolConfig the client did not send. */
function usedTools(messages: readonly Message[]): Tool[] {
  const names = new Set<string>();
  for (const message of messages) {
    for (const block of message.content ?? []) if (block.toolUse?.name !== undefined) names.add(block.toolUse.name);
  }
  return [...names].map((name) => ({ toolSpec: { name, inputSchema: schemaOf(OPEN_SCHEMA) } }));
}

export function toToolConfig(
  request: Pick<ChatRequest, 'tools' | 'tool_choice'>,
  messages: readonly Message[],
  hasToolBlocks: boolean,
): ToolConfiguration | undefined {
  if (request.tools === undefined || (request.tool_choice === 'none' && !hasToolBlocks)) {
    if (!hasToolBlocks) return undefined;
    const used = usedTools(messages);
    return used.length === 0 ? undefined : { tools: used };
  }
  const choice = choiceOf(request.tool_choice);
  return { tools: request.tools.flatMap(toolOf), ...(choice === undefined ? {} : { toolChoice: choice }) };
}
