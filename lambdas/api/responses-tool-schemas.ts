import { z } from 'zod';
import { isCustomTool, isFunctionTool, isNamespaceTool } from './responses-tool-guards.js';

/**
 * The tools of a /v1/responses request (OpenAI's Responses API): function tools, custom tools (free-form text input,
 * optionally constrained by a grammar), namespace tools (function and custom tools grouped under one name), and the
 * hosted tools a provider runs itself (web_search, tool_search, file_search, …), which pass loosely and are dropped and
 * named where translated. What each means on a target: lambdas/formats/openai-responses/responses-toolset.ts.
 */
const toolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 characters of letters, digits, "_" or "-"');
const description = z.string().max(65_536);
// Hints of OpenAI's own tool runtime (programmatic callers, asynchronous results, tool search): dropped and named.
const runtimeHints = {
  allowed_callers: z
    .array(z.enum(['direct', 'programmatic']))
    .nullable()
    .optional(),
  async: z.boolean().optional(),
  defer_loading: z.boolean().optional(),
};

export const functionToolSchema = z.strictObject({
  type: z.literal('function'),
  name: toolName,
  description: description.nullable().optional(),
  parameters: z.record(z.string(), z.unknown()).nullable().optional(),
  strict: z.boolean().nullable().optional(),
  output_schema: z.record(z.string(), z.unknown()).nullable().optional(),
  ...runtimeHints,
});

const customFormatSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({
    type: z.literal('grammar'),
    syntax: z.enum(['lark', 'regex']),
    definition: z.string().min(1).max(65_536),
  }),
]);

export const customToolSchema = z.strictObject({
  type: z.literal('custom'),
  name: toolName,
  description: description.optional(),
  format: customFormatSchema.optional(),
  ...runtimeHints,
});

export const namespaceToolSchema = z.strictObject({
  type: z.literal('namespace'),
  name: toolName,
  description: description,
  tools: z
    .array(z.discriminatedUnion('type', [functionToolSchema, customToolSchema]))
    .min(1)
    .max(128),
});

/** A tool the provider runs itself (web_search, tool_search, code_interpreter, …): dropped and named when translated. */
const hostedTool = z.looseObject({
  type: z
    .string()
    .refine(
      (type) => type !== 'function' && type !== 'custom' && type !== 'namespace',
      'a function, custom or namespace tool is validated by its own schema',
    ),
});

export const responsesToolSchema = z.union([functionToolSchema, customToolSchema, namespaceToolSchema, hostedTool]);

export type ResponsesTool = z.output<typeof responsesToolSchema>;
export type FunctionTool = z.output<typeof functionToolSchema>;
export type CustomTool = z.output<typeof customToolSchema>;
export type NamespaceTool = z.output<typeof namespaceToolSchema>;

export { isCustomTool, isFunctionTool, isNamespaceTool } from './responses-tool-guards.js';

/**
 * Tools named twice (two top-level function or custom tools, two tools of one namespace — a namespace may be given in
 * parts): a call could not say which one it is for.
 */
export function duplicateToolNames(tools: readonly ResponsesTool[]): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const check = (seen: Set<string>, name: string, path: (string | number)[]): void => {
    if (seen.has(name)) issues.push({ path, message: `names "${name}", as an earlier tool does` });
    seen.add(name);
  };
  const topLevel = new Set<string>();
  const namespaces = new Map<string, Set<string>>();
  tools.forEach((tool, index) => {
    if (isFunctionTool(tool) || isCustomTool(tool)) check(topLevel, tool.name, ['tools', index, 'name']);
    if (!isNamespaceTool(tool)) return;
    const inner = namespaces.get(tool.name) ?? new Set<string>();
    namespaces.set(tool.name, inner);
    tool.tools.forEach((member, at) => check(inner, member.name, ['tools', index, 'tools', at, 'name']));
  });
  return issues;
}
