import type { ResponseOutputText } from 'openai/resources/responses/responses';
import type { HostedOutputItem } from './responses-hosted-items.js';
import type { Emit, ReasoningState } from './responses-reasoning-stream.js';
import type { ToolCallEvents } from './responses-tool-calls.js';

/**
 * The message and function call items of a Responses stream (responses-event-stream.ts), and a message item's closing
 * events: per content part output_text.done (refusal.done) then content_part.done — the text part at content_index
 * 0, a refusal after it.
 */
export interface MessageState {
  readonly kind: 'message';
  readonly id: string;
  readonly index: number;
  text: string | null;
  refusal: string | null;
  open: boolean;
  /** Where its text starts in the answer's text, and its text's annotations (citations: responses-hosted-stream.ts). */
  readonly base: number;
  readonly annotations: ResponseOutputText['annotations'];
}
export interface CallState {
  readonly kind: 'call';
  readonly id: string;
  readonly index: number;
  readonly call: { id: string; name: string; arguments: string };
  /** The call's delta and done events: function_call_arguments.* or custom_tool_call_input.* (responses-tool-calls.ts). */
  readonly events: ToolCallEvents;
  open: boolean;
}
/** A provider-hosted tool's item (responses-hosted-stream.ts), whole. */
export interface HostedState {
  readonly kind: 'hosted';
  readonly id: string;
  readonly index: number;
  readonly item: HostedOutputItem;
}
export type ItemState = MessageState | CallState | ReasoningState | HostedState;

export const textPart = (text: string, annotations: readonly unknown[] = []) => ({
  type: 'output_text',
  text,
  annotations,
  logprobs: [],
});
export const refusalPart = (refusal: string) => ({ type: 'refusal', refusal });
export const refusalIndex = (message: MessageState): number => (message.text === null ? 0 : 1);
export const at = (state: ItemState) => ({ item_id: state.id, output_index: state.index });

/** The events that end a message's content parts (the caller emits its output_item.done). */
export function endMessage(message: MessageState, emit: Emit): string[] {
  const out: string[] = [];
  if (message.text !== null) {
    const text = message.text;
    out.push(emit('response.output_text.done', { ...at(message), content_index: 0, text, logprobs: [] }));
    const part = textPart(text, message.annotations);
    out.push(emit('response.content_part.done', { ...at(message), content_index: 0, part }));
  }
  if (message.refusal !== null) {
    const content_index = refusalIndex(message);
    const refusal = message.refusal;
    out.push(emit('response.refusal.done', { ...at(message), content_index, refusal }));
    out.push(emit('response.content_part.done', { ...at(message), content_index, part: refusalPart(refusal) }));
  }
  message.open = false;
  return out;
}

/** What a stream produced so far, for metering's estimate. */
export function producedOf(items: readonly ItemState[]): {
  text: string;
  toolCalls: { name: string; arguments: string }[];
  reasoning: string;
} {
  return {
    text: items.map((item) => (item.kind === 'message' ? (item.text ?? '') + (item.refusal ?? '') : '')).join(''),
    toolCalls: items.flatMap((item) => (item.kind === 'call' ? [item.call] : [])),
    reasoning: items.map((item) => (item.kind === 'reasoning' ? item.summary.join('') : '')).join(''),
  };
}
