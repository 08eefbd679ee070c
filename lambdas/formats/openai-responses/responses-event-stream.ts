import type { ChatRequest } from '../../api/chat-schemas.js';
import type { ResponsesRequest } from '../../api/responses-schemas.js';
import type { GatewayError } from '../../core/errors.js';
import type { FinishReason, Usage } from '../../providers/types.js';
import { revealsSources } from './responses-hosted-items.js';
import { citationEvents, hostedEvents } from './responses-hosted-stream.js';
import { meterUsage } from '../../usage/estimate.js';
import type { AnswerMeta } from '../chat-encoding.js';
import type { ContentPart, StreamEncoder } from '../sse-stream.js';
import { ledgerIdOf, outputItemId } from './response-ids.js';
import { reasoningOutputItem } from './reasoning-items.js';
import {
  incompleteOf,
  messageItem,
  responseObject,
  revealsReasoning,
  hideEncrypted,
  type OutputItem,
  type ResponseObject,
} from './response-object.js';
import {
  at,
  endMessage,
  producedOf,
  refusalIndex,
  refusalPart,
  textPart,
  type CallState,
  type ItemState,
  type MessageState,
} from './responses-message-stream.js';
import {
  blockOfState,
  endReasoning,
  reasoningState,
  summaryDelta,
  type ReasoningState,
} from './responses-reasoning-stream.js';
import { toolCallItem, toolCallKind, ToolCallEvents, type ToolCallEvent } from './responses-tool-calls.js';
import type { Toolset } from './responses-toolset.js';

/**
 * Stream parts → the Responses API's SSE events, each with its `sequence_number` (0, 1, …): response.created,
 * response.in_progress; per output item output_item.added, then for a message content_part.added → output_text.delta…
 * (refusal.delta… for a refusal part) → output_text.done → content_part.done, for a function call
 * function_call_arguments.delta… → .done (a custom tool: custom_tool_call_input.*, responses-tool-calls.ts), for
 * reasoning its summary parts (responses-reasoning-stream.ts); output_item.done; at the end response.completed
 * (response.incomplete when cut by max_output_tokens or a content filter) with the whole Response and its usage as the
 * ledger meters it. A failure is response.failed, then an `error` event (the openai SDK raises it): a cut stream never
 * looks complete.
 * A message item closes when a function call or reasoning starts (text after it opens a new message item); a
 * reasoning item when its block ends or anything else starts; function calls close when reasoning starts (Anthropic's
 * thinking → tool_use → thinking → tool_use) or at the finish, each its own output item (parallel calls whose
 * arguments interleave upstream stay separate items). Items go out in answer order. Reasoning items carry their
 * encrypted_content when the request's include asks for it, and always into the store.
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  private sequence = 0;
  private readonly items: ItemState[] = [];
  private readonly calls = new Map<number, CallState>();
  private message: MessageState | undefined;
  private reasoning: ReasoningState | undefined;
  private finish: FinishReason | undefined;
  private final: ResponseObject | undefined;
  private readonly ledgerId: string;
  private textLength = 0;

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
        const out = this.closeReasoning();
        const message = this.openMessage(out);
        if (message.text === null) {
          message.text = '';
          out.push(this.partEvent('response.content_part.added', message, 0, textPart('')));
        }
        message.text += part.delta;
        this.textLength += part.delta.length;
        out.push(this.textEvent('response.output_text.delta', message, { delta: part.delta, logprobs: [] }));
        return out;
      }
      case 'refusal-delta': {
        const out = this.closeReasoning();
        const message = this.openMessage(out);
        if (message.refusal === null) {
          message.refusal = '';
          out.push(this.partEvent('response.content_part.added', message, refusalIndex(message), refusalPart('')));
        }
        message.refusal += part.delta;
        const content_index = refusalIndex(message);
        out.push(this.event('response.refusal.delta', { ...at(message), content_index, delta: part.delta }));
        return out;
      }
      case 'tool-call-start': {
        const out = [...this.closeMessage(), ...this.closeReasoning()];
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
        return event === undefined ? [] : [this.toolEvent(state, event)];
      }
      case 'finish':
        this.finish = part.finishReason;
        return this.closeAll();
      case 'hosted-call': {
        const context = { ledgerId: this.ledgerId, sources: revealsSources(this.request.include) };
        return [...this.closeAll(), ...hostedEvents(this.items, part.call, context, this.event)];
      }
      case 'citation':
        return citationEvents(this.items, part.citation, this.event);
      case 'reasoning-delta': {
        const out: string[] = [];
        const state = this.openReasoning(part.index, out);
        out.push(...summaryDelta(state, part.delta, part.summaryIndex ?? 0, this.event));
        return out;
      }
      case 'reasoning-signature':
      case 'reasoning-redacted':
      case 'reasoning-item': {
        const out: string[] = [];
        const state = this.openReasoning(part.index, out);
        if (part.type === 'reasoning-signature') state.signature = part.signature;
        else if (part.type === 'reasoning-redacted') state.redacted = part.data;
        else state.item = part;
        out.push(...this.closeReasoning());
        return out;
      }
    }
  }

  async keep(usage: Usage | undefined): Promise<void> {
    await this.onKeep(this.finalResponse(usage));
  }

  close(usage: Usage | undefined): string[] {
    const out = this.closeAll();
    const response = this.shown(this.finalResponse(usage));
    const type = response.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
    return [...out, this.event(type, { response })];
  }

  failure(error: GatewayError): string {
    const failed = responseObject(this.request, this.meta, {
      status: 'failed',
      output: this.items.map((item) => this.shownItem(item)),
      usage: undefined,
      error: { code: error.status === 429 ? 'rate_limit_exceeded' : 'server_error', message: error.message },
    });
    return (
      this.event('response.failed', { response: failed }) +
      this.event('error', { code: error.code, message: error.message, param: error.param })
    );
  }

  /** The Response as the client sees it: encrypted_content only when its include asked for it. */
  private shown(response: ResponseObject): ResponseObject {
    return revealsReasoning(this.request) ? response : { ...response, output: response.output.map(hideEncrypted) };
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
      usage: done ? meterUsage(usage, this.canonical, producedOf(this.items)).usage : undefined,
      finish: this.finish,
    });
  }

  /** An item as it stands; a reasoning item with its encrypted_content (shown() hides it from the client). */
  private itemOf(state: ItemState): OutputItem {
    if (state.kind === 'reasoning') return reasoningOutputItem(state.id, blockOfState(state), true);
    if (state.kind === 'hosted') return state.item;
    const status = state.open ? 'in_progress' : incompleteOf(this.finish) === null ? 'completed' : 'incomplete';
    return state.kind === 'message'
      ? messageItem(state.id, state.text, state.refusal, status, state.annotations)
      : toolCallItem(this.toolset, state.id, state.call, status);
  }

  /** The reasoning item of stream block `block`: the open one, or a new one (whatever was open closes first). */
  private openReasoning(block: number, out: string[]): ReasoningState {
    if (this.reasoning?.block === block) return this.reasoning;
    out.push(...this.closeAll());
    const index = this.items.length;
    const state = reasoningState(outputItemId('reasoning', this.ledgerId, index), index, block);
    this.items.push(state);
    this.reasoning = state;
    out.push(this.event('response.output_item.added', { output_index: index, item: this.shownItem(state) }));
    return state;
  }

  private closeReasoning(): string[] {
    const state = this.reasoning;
    if (state === undefined) return [];
    this.reasoning = undefined;
    const out = endReasoning(state, this.event);
    out.push(this.event('response.output_item.done', { output_index: state.index, item: this.shownItem(state) }));
    return out;
  }

  private shownItem(state: ItemState): OutputItem {
    const item = this.itemOf(state);
    return revealsReasoning(this.request) ? item : hideEncrypted(item);
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
      base: this.textLength,
      annotations: [],
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
    const out = endMessage(message, this.event);
    out.push(this.event('response.output_item.done', { output_index: message.index, item: this.itemOf(message) }));
    return out;
  }

  private closeAll = (): string[] => [...this.closeMessage(), ...this.closeReasoning(), ...this.closeCalls()];

  private closeCalls(): string[] {
    const out: string[] = [];
    for (const state of this.items) {
      if (state.kind !== 'call' || !state.open) continue;
      state.open = false;
      out.push(
        this.toolEvent(state, state.events.done(state.call.arguments)),
        this.event('response.output_item.done', { output_index: state.index, item: this.itemOf(state) }),
      );
    }
    return out;
  }

  private toolEvent = (state: CallState, e: ToolCallEvent): string => this.event(e.type, { ...at(state), ...e.fields });
  private textEvent(type: string, message: MessageState, fields: Record<string, unknown>): string {
    return this.event(type, { ...at(message), content_index: 0, ...fields });
  }

  private partEvent(type: string, message: MessageState, contentIndex: number, part: unknown): string {
    return this.event(type, { ...at(message), content_index: contentIndex, part });
  }

  private event = (type: string, fields: Record<string, unknown>): string => {
    const data = { type, sequence_number: this.sequence, ...fields };
    this.sequence += 1;
    return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
  };
}
