import type { ResponseCustomToolCall, ResponseFunctionToolCall } from 'openai/resources/responses/responses';
import type { ItemKind } from './response-ids.js';
import { CustomInputDecoder } from './custom-input-decoder.js';
import { customInputOf } from './responses-custom-tools.js';
import type { Toolset } from './responses-toolset.js';

/**
 * A canonical tool call → the output item the client's tool wants: a `function_call` (with `namespace` for a tool of
 * a namespace, named as inside it), or a `custom_tool_call` whose `input` is the string the model wrote. A call of a
 * tool the request did not offer stays a function_call by the name the model used. In a stream, a custom tool's input
 * goes out as `response.custom_tool_call_input.delta` events of decoded text, then `.done` with the whole input.
 */
type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type CustomToolCallItem = ResponseCustomToolCall & { id: string; status: ItemStatus };
export type ToolCallItem = ResponseFunctionToolCall | CustomToolCallItem;

export interface CanonicalCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

export const toolCallKind = (toolset: Toolset, canonicalName: string): ItemKind =>
  toolset.entryOf(canonicalName)?.kind === 'custom' ? 'custom_tool_call' : 'function_call';

export function toolCallItem(toolset: Toolset, id: string, call: CanonicalCall, status: ItemStatus): ToolCallItem {
  const entry = toolset.entryOf(call.name);
  const namespace = entry?.namespace === undefined ? {} : { namespace: entry.namespace };
  if (entry?.kind === 'custom') {
    return {
      id,
      type: 'custom_tool_call',
      status,
      call_id: call.id,
      name: entry.name,
      input: customInputOf(call.arguments),
      ...namespace,
    };
  }
  return {
    id,
    type: 'function_call',
    status,
    call_id: call.id,
    name: entry?.name ?? call.name,
    arguments: call.arguments,
    ...namespace,
  };
}

/** An event of a streamed tool call, less what places it (item_id, output_index). */
export interface ToolCallEvent {
  readonly type: string;
  readonly fields: Record<string, unknown>;
}

/** One streamed tool call's events: its argument deltas as they arrive, then its done event. */
export class ToolCallEvents {
  private readonly decoder: CustomInputDecoder | undefined;
  private readonly name: string;

  constructor(toolset: Toolset, canonicalName: string) {
    const entry = toolset.entryOf(canonicalName);
    this.decoder = entry?.kind === 'custom' ? new CustomInputDecoder() : undefined;
    this.name = entry?.name ?? canonicalName;
  }

  delta(argumentsDelta: string): ToolCallEvent | undefined {
    if (this.decoder === undefined)
      return { type: 'response.function_call_arguments.delta', fields: { delta: argumentsDelta } };
    const delta = this.decoder.push(argumentsDelta);
    return delta === '' ? undefined : { type: 'response.custom_tool_call_input.delta', fields: { delta } };
  }

  done(args: string): ToolCallEvent {
    return this.decoder === undefined
      ? { type: 'response.function_call_arguments.done', fields: { name: this.name, arguments: args } }
      : { type: 'response.custom_tool_call_input.done', fields: { input: customInputOf(args) } };
  }
}
