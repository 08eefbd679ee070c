import type { ChatRequest } from '../../api/chat-schemas.js';
import type { ResponsesRequest } from '../../api/responses-schemas.js';
import type { GatewayError } from '../../core/errors.js';
import type { FinishReason, Usage } from '../../providers/types.js';
import { meterUsage } from '../../usage/estimate.js';
import type { AnswerMeta } from '../chat-encoding.js';
import type { ContentPart, StreamEncoder } from '../sse-stream.js';
import { ledgerIdOf, outputItemId } from './response-ids.js';
import { incompleteOf, messageItem, responseObject, type OutputItem, type ResponseObject } from './response-object.js';
import { toolCallItem, toolCallKind, ToolCallEvents, type ToolCallEvent } from './responses-tool-calls.js';
import type { Toolset } from './responses-toolset.js';

/**
 * Stream parts → the Responses API's SSE events, each with its `sequence_number` (0, 1, …): response.created,
 * response.in_progress; per output item output_item.added, then for a message content_part.added →
 * output_text.delta… (refusal.delta… for a refusal part) → output_text.done → content_part.done, for a function call
 * function_call_arguments.delta… → .done (for a custom tool custom_tool_call_input.delta… → .done:
 * responses-tool-calls.ts); output_item.done; at the end response.completed (response.incomplete when the answer was
 * cut by max_output_tokens or a content filter) with the whole Response and its usage — as the ledger meters it. A failure is response.failed, then an `error` event (which the openai SDK raises), and the stream ends:
 * a cut stream never looks complete.
 *
 * A message item closes when a function call starts (text after it opens a new message item); function calls close
 * at the finish, each its own output item (parallel calls whose arguments interleave upstream stay separate items).
 */
interface MessageState {
  readonly kind: 'message';
  readonly id: string;
  readonly index: number;
  text: string | null;
  refusal: string | null;
  open: boolean;
}
interface CallState {
  readonly kind: 'call';
  readonly id: string;
  readonly index: number;
  readonly call: { id: string; name: string; arguments: string };
  readonly events: ToolCallEvents;
  open: boolean;
}

export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private readonly items: (MessageState | CallState)[] = [];
  private readonly calls = new Map<number, CallState>();
  private message: MessageState | undefined;
  private finish: FinishReason | undefined;
  private final: ResponseObject | undefined;
  private readonly ledgerId: string;

  constructor(
    private readonly request: ResponsesRequest,
    private readonly toolset: Toolset,
    private readonly canonical: ChatRequest,
    private readonly meta: AnswerMeta,
    private readonly onKeep: (response: ResponseObject) => Promise<void>,
  ) {
    this.ledgerId = ledgerIdOf(meta.id) ?? meta.id;
  }

  open(): string[] {
    const response = this.snapshot('in_progress', undefined);
    return [this.event('response.created', { response }), this.event('response.in_progress', { response })];
  }

  part(part: ContentPart): string[] {
    switch (part.type) {
      case 'text-delta': {
        const out: string[] = [];
        const message = this.openMessage(out);
        if (message.text === null) {
          message.text = '';
          out.push(this.partEvent('response.content_part.added', message, 0, this.textPart('')));
        }
        message.text += part.delta;
        out.push(this.textEvent('response.output_text.delta', message, { delta: part.delta, logprobs: [] }));
        return out;
      }
      case 'refusal-delta': {
        const out: string[] = [];
        const message = this.openMessage(out);
        if (message.refusal === null) {
          message.refusal = '';
          out.push(
            this.partEvent('response.content_part.added', message, this.refusalIndex(message), this.refusalPart('')),
          );
        }
        message.refusal += part.delta;
        out.push(
          this.event('response.refusal.delta', {
            ...this.at(message),
            content_index: this.refusalIndex(message),
            delta: part.delta,
          }),
        );
        return out;
      }
      case 'tool-call-start': {
        const out = this.closeMessage();
        const index = this.items.length;
        const state: CallState = {
          kind: 'call',
          id: outputItemId(toolCallKind(this.toolset, part.name), this.ledgerId, index),
          index,
          call: { id: part.id, name: part.name, arguments: '' },
          events: new ToolCallEvents(this.toolset, part.name),
          open: true,
        };
        this.items.push(state);
        this.calls.set(part.index, state);
        out.push(this.event('response.output_item.added', { output_index: index, item: this.itemOf(state) }));
        return out;
      }
      case 'tool-call-delta': {
        const state = this.calls.get(part.index);
        if (state === undefined || !state.open) return [];
        state.call.arguments += part.argumentsDelta;
        const event = state.events.delta(part.argumentsDelta);
        return event === undefined ? [] : [this.callEvent(state, event)];
      }
      case 'finish':
        this.finish = part.finishReason;
        return this.closeAll();
      case 'reasoning-delta':
      case 'reasoning-signature':
      case 'reasoning-redacted':
      case 'reasoning-item':
        // Reasoning items (summary text, encrypted content) are not encoded on this route yet; the text is not lost
        // from the books (metering counts it as output).
        return [];
    }
  }

  async keep(usage: Usage | undefined): Promise<void> {
    await this.onKeep(this.finalResponse(usage));
  }

  close(usage: Usage | undefined): string[] {
    const out = this.closeAll();
    const response = this.finalResponse(usage);
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return [...out, this.event(type, { response })];
  }

  failure(error: GatewayError): string {
    const failed = responseObject(this.request, this.meta, {
      status: 'failed',
      output: this.items.map((item) => this.itemOf(item)),
      usage: undefined,
      error: { code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error', message: error.message },
    });
    return (
      this.event('response.failed', { response: failed }) +
      this.event('error', { code: error.code, message: error.message, param: error.param })
    );
  }

  private finalResponse(usage: Usage | undefined): ResponseObject {
    this.final ??= this.snapshot(incompleteOf(this.finish) === null ? 'completed' : 'incomplete', usage);
    return this.final;
  }

  private snapshot(status: ResponseObject['status'], usage: Usage | undefined): ResponseObject {
    const done = status !== 'in_progress';
    return responseObject(this.request, this.meta, {
      status,
      output: done ? this.items.map((item) => this.itemOf(item)) : [],
      usage: done ? meterUsage(usage, this.canonical, this.produced()).usage : undefined,
      finish: this.finish,
    });
  }

  private produced(): { text: string; toolCalls: { name: string; arguments: string }[] } {
    return {
      text: this.items
        .map((item) => (item.kind === 'message' ? (item.text ?? '') + (item.refusal ?? '') : ''))
        .join(''),
      toolCalls: this.items.flatMap((item) => (item.kind === 'call' ? [item.call] : [])),
    };
  }

  private itemOf(state: MessageState | CallState): OutputItem {
    const status = state.open ? 'in_progress' : incompleteOf(this.finish) === null ? 'completed' : 'incomplete';
    return state.kind === 'message'
      ? messageItem(state.id, state.text, state.refusal, status)
      : toolCallItem(this.toolset, state.id, state.call, status);
  }

  private openMessage(out: string[]): MessageState {
    if (this.message !== undefined) return this.message;
    const index = this.items.length;
    const message: MessageState = {
      kind: 'message',
      id: outputItemId('message', this.ledgerId, index),
      index,
      text: null,
      refusal: null,
      open: true,
    };
    this.items.push(message);
    this.message = message;
    out.push(this.event('response.output_item.added', { output_index: index, item: this.itemOf(message) }));
    return message;
  }

  private closeMessage(): string[] {
    const message = this.message;
    if (message === undefined) return [];
    this.message = undefined;
    const out: string[] = [];
    if (message.text !== null) {
      out.push(this.textEvent('response.output_text.done', message, { text: message.text, logprobs: [] }));
      out.push(this.partEvent('response.content_part.done', message, 0, this.textPart(message.text)));
    }
    if (message.refusal !== null) {
      const content_index = this.refusalIndex(message);
      out.push(this.event('response.refusal.done', { ...this.at(message), content_index, refusal: message.refusal }));
      out.push(this.partEvent('response.content_part.done', message, content_index, this.refusalPart(message.refusal)));
    }
    message.open = false;
    out.push(this.event('response.output_item.done', { output_index: message.index, item: this.itemOf(message) }));
    return out;
  }

  private closeAll(): string[] {
    const out = this.closeMessage();
    for (const state of this.items) {
      if (state.kind !== 'call' || !state.open) continue;
      state.open = false;
      out.push(
        this.callEvent(state, state.events.done(state.call.arguments)),
        this.event('response.output_item.done', { output_index: state.index, item: this.itemOf(state) }),
      );
    }
    return out;
  }

  private refusalIndex = (message: MessageState): number => (message.text === null ? 0 : 1);
  private textPart = (text: string) => ({ type: 'output_text', text, annotations: [], logprobs: [] });
  private refusalPart = (refusal: string) => ({ type: 'refusal', refusal });
  private at = (state: MessageState | CallState) => ({ item_id: state.id, output_index: state.index });

  private callEvent = (state: CallState, event: ToolCallEvent): string =>
    this.event(event.type, { ...this.at(state), ...event.fields });

  private textEvent(type: string, message: MessageState, fields: Record<string, unknown>): string {
    return this.event(type, { ...this.at(message), content_index: 0, ...fields });
  }

  private partEvent(type: string, message: MessageState, contentIndex: number, part: unknown): string {
    return this.event(type, { ...this.at(message), content_index: contentIndex, part });
  }

  private event(type: string, fields: Record<string, unknown>): string {
    const data = { type, sequence_number: this.sequence, ...fields };
    this.sequence += 1;
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
