import type { ResponsesRequest, ResponsesTool } from '../../api/responses-schemas.js';
import type { HostedTool, HostedTools } from '../../providers/hosted-tools.js';

/**
 * A /v1/responses request's hosted tools (every tool type but function, custom and namespace: web_search,
 * file_search, tool_search, code_interpreter…), as the chat service routes them (providers/hosted-tools.ts): offered,
 * or required when tool_choice names one by its type (`{"type": "web_search"}`). Which targets run them:
 * chat/hosted-gate.ts.
 */
const INNER = new Set(['function', 'custom', 'namespace']);

export const isHostedTool = (tool: ResponsesTool): boolean => !INNER.has(tool.type);

/** The hosted tool type tool_choice forces, when it names one of the request's hosted tools. */
export function forcedHosted(request: Pick<ResponsesRequest, 'tool_choice' | 'tools'>): string | undefined {
  const choice = request.tool_choice;
  if (choice === undefined || typeof choice === 'string' || INNER.has(choice.type)) return undefined;
  return request.tools?.some((tool) => isHostedTool(tool) && tool.type === choice.type) === true
    ? choice.type
    : undefined;
}

export function hostedOf(request: Pick<ResponsesRequest, 'tool_choice' | 'tools'>): HostedTools {
  const forced = forcedHosted(request);
  const tools: HostedTool[] = (request.tools ?? []).filter(isHostedTool).map((tool) => ({
    type: tool.type,
    spec: tool as Readonly<Record<string, unknown>>,
    required: tool.type === forced,
  }));
  return { format: 'responses', tools, ...(forced === undefined ? {} : { forced }) };
}
