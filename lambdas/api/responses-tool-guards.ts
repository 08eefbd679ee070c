/**
 * Which kind a Responses tool is (responses-tool-schemas.ts: ResponsesTool), zod-free so the translation reads them at
 * init. Generic over the tool union, so this module imports nothing of the schemas (no import cycle).
 */
interface AnyTool {
  readonly type: string;
  readonly name?: unknown;
  readonly tools?: unknown;
}

export const isFunctionTool = <T extends AnyTool>(tool: T): tool is Extract<T, { type: 'function' }> =>
  tool.type === 'function' && typeof tool.name === 'string';
export const isCustomTool = <T extends AnyTool>(tool: T): tool is Extract<T, { type: 'custom' }> =>
  tool.type === 'custom' && typeof tool.name === 'string';
export const isNamespaceTool = <T extends AnyTool>(tool: T): tool is Extract<T, { type: 'namespace' }> =>
  tool.type === 'namespace' && Array.isArray(tool.tools);
