import type { ChatTool } from '../../api/chat-schemas.js';
import type { CustomTool } from '../../api/responses-schemas.js';

/**
 * Custom tools (`{type: "custom", name, description, format}`: the model answers with free text, optionally in a
 * grammar — Codex's apply_patch) on targets that only know function tools: a function taking one string, `input`;
 * the grammar goes into the description (the model is told the syntax; no target enforces it). The model's call
 * (`{"input": "…"}`) comes back as a custom_tool_call whose `input` is that string; a custom_tool_call the client sends
 * back goes upstream as the same function call.
 */
const INPUT_PARAMETERS = {
  type: 'object',
  properties: {
    input: { type: 'string', description: "The tool's whole input, as raw text (not JSON-encoded)." },
  },
  required: ['input'],
  additionalProperties: false,
} as const;

function descriptionOf(tool: CustomTool, preface: string | undefined): string {
  const format = tool.format;
  const how =
    format?.type === 'grammar'
      ? `Call it with one argument, "input": text that matches this ${format.syntax} grammar exactly:\n` +
        format.definition
      : 'Call it with one argument, "input": free-form text.';
  return [preface, tool.description, how].filter((part) => part !== undefined && part !== '').join('\n\n');
}

/** A custom tool as the canonical function tool named `name` (its namespace's words in `preface`, if any). */
export function customToolFunction(tool: CustomTool, name: string, preface?: string): ChatTool {
  return {
    type: 'function',
    function: { name, description: descriptionOf(tool, preface), parameters: { ...INPUT_PARAMETERS } },
  };
}

/** A custom tool's input as the arguments of its function call. */
export const customArguments = (input: string): string => JSON.stringify({ input });

/**
 * The input of a custom tool's call from the function call's arguments: `input` of the JSON object; a JSON string as
 * it is; arguments that are neither (a model that ignored the schema) as their raw text, so nothing is lost.
 */
export function customInputOf(args: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return args;
  }
  if (typeof parsed === 'string') return parsed;
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const input: unknown = (parsed as Record<string, unknown>).input;
    if (typeof input === 'string') return input;
  }
  return args;
}
