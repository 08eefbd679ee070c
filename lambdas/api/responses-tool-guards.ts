import type { CustomTool, FunctionTool, NamespaceTool, ResponsesTool } from './responses-tool-schemas.js';

/** Which kind a Responses tool is (zod-free: the translation reads them at init). */
export const isFunctionTool = (tool: ResponsesTool): tool is FunctionTool =>
  tool.type === 'function' && typeof tool.name === 'string';
export const isCustomTool = (tool: ResponsesTool): tool is CustomTool =>
  tool.type === 'custom' && typeof tool.name === 'string';
export const isNamespaceTool = (tool: ResponsesTool): tool is NamespaceTool =>
  tool.type === 'namespace' && Array.isArray(tool.tools);
