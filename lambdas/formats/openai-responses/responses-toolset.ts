import type { ChatTool } from '../../api/chat-schemas.js';
import type { CustomTool, FunctionTool, ResponsesTool } from '../../api/responses-schemas.js';
import { isCustomTool, isFunctionTool, isNamespaceTool } from '../../api/responses-tool-guards.js';
import { customToolFunction } from './responses-custom-tools.js';
import { namespacePreface, qualifiedToolName } from './responses-namespace-tools.js';

/**
 * A /v1/responses request's tools as the canonical request offers them, and the way back:
 * - function tools as they are; custom tools as a function of one string (responses-custom-tools.ts); the function
 *   and custom tools of a namespace under a qualified name (responses-namespace-tools.ts);
 * - hosted tools (web_search, tool_search, file_search…) are left to responses-hosted.ts (the targets that run them);
 * - dropped and named: OpenAI's tool-runtime hints (`tools[].defer_loading`, `tools[].async`,
 *   `tools[].allowed_callers`, `tools[].output_schema`).
 * `entryOf` names the client's tool a canonical call is for (its kind, name and namespace); `canonicalName` is the way
 * there, for the calls of earlier turns and tool_choice.
 */
export interface ToolEntry {
  readonly kind: 'function' | 'custom';
  /** The tool's name as the client gave it (inside its namespace, if any). */
  readonly name: string;
  readonly namespace?: string;
}

export interface Toolset {
  readonly tools: readonly ChatTool[];
  readonly ignored: readonly string[];
  entryOf(canonicalName: string): ToolEntry | undefined;
  canonicalName(name: string, namespace?: string | undefined): string;
}

type InnerTool = FunctionTool | CustomTool;

function hintsOf(tool: InnerTool, name: (field: string) => void): void {
  if (tool.defer_loading !== undefined) name('tools[].defer_loading');
  if (tool.async !== undefined) name('tools[].async');
  if (tool.allowed_callers != null) name('tools[].allowed_callers');
  if (tool.type === 'function' && tool.output_schema != null) name('tools[].output_schema');
}

function canonicalTool(tool: InnerTool, name: string, preface: string | undefined): ChatTool {
  if (tool.type === 'custom') return customToolFunction(tool, name, preface);
  const description = [preface, tool.description ?? undefined].filter((part) => part !== undefined).join('\n\n');
  return {
    type: 'function',
    function: {
      name,
      ...(description === '' ? {} : { description }),
      ...(tool.parameters == null ? {} : { parameters: tool.parameters }),
      ...(tool.strict == null ? {} : { strict: tool.strict }),
    },
  };
}

export function toolsetOf(offered: readonly ResponsesTool[] | undefined): Toolset {
  const ignored: string[] = [];
  const name = (field: string): void => {
    if (!ignored.includes(field)) ignored.push(field);
  };
  const list = offered ?? [];
  const taken = new Set(list.flatMap((tool) => (isFunctionTool(tool) || isCustomTool(tool) ? [tool.name] : [])));
  const entries = new Map<string, ToolEntry>();
  const tools: ChatTool[] = [];
  const add = (tool: InnerTool, namespace?: { name: string; description: string }): void => {
    hintsOf(tool, name);
    const canonical = namespace === undefined ? tool.name : qualifiedToolName(namespace.name, tool.name, taken);
    if (entries.has(canonical)) return;
    taken.add(canonical);
    const kind = tool.type === 'custom' ? 'custom' : 'function';
    entries.set(canonical, {
      kind,
      name: tool.name,
      ...(namespace === undefined ? {} : { namespace: namespace.name }),
    });
    const preface = namespace === undefined ? undefined : namespacePreface(namespace.name, namespace.description);
    tools.push(canonicalTool(tool, canonical, preface));
  };
  for (const tool of list) {
    if (isFunctionTool(tool) || isCustomTool(tool)) add(tool);
    else if (isNamespaceTool(tool)) for (const inner of tool.tools) add(inner, tool);
    // Hosted tools (web_search, tool_search…) are not the canonical request's: responses-hosted.ts.
  }
  return {
    tools,
    ignored,
    entryOf: (canonical) => entries.get(canonical),
    canonicalName: (toolName, namespace) => {
      if (namespace == null || namespace === '') return toolName;
      for (const [canonical, entry] of entries) {
        if (entry.namespace === namespace && entry.name === toolName) return canonical;
      }
      return qualifiedToolName(namespace, toolName, taken);
    },
  };
}
