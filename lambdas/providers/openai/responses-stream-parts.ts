import { APIError } from 'openai/core/error';
import type { ResponseOutputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { isAbort, streamFailure } from '../upstream-error.js';
import type { StreamPart } from '../types.js';
import { citationOf, finishOf, hostedCallOf, responseError, toResponsesUsage } from './responses-result.js';

/**
 * The Responses API's SSE events (the native lane) → stream parts:
 *   output_item.added of a function_call → tool-call-start (indices 0, 1, … by output item, distinct for parallel
 *   calls); function_call_arguments.delta → tool-call-delta (a call whose arguments came only whole, at its
 *   output_item.done, gets them there); output_text.delta → text-delta; refusal.delta → refusal-delta;
 *   reasoning_summary_text.delta → reasoning-delta (block by reasoning item, `summaryIndex` its summary part);
 *   output_item.done of a reasoning item → reasoning-item (id, summary, encrypted_content), which ends its block;
 *   response.completed / response.incomplete → finish, then usage; response.failed and `error` events → an error part
 *   with the code the same failure has over HTTP (responses-result.ts). A stream that ends without completed or
 *   incomplete has no finish part: a cut. output_item.done of a hosted tool's item (web_search_call…) → hosted-call
 *   (the item as it came); output_text.annotation.added of a url_citation → citation (indexes over the whole text).
 *   Other events (created, in_progress, content parts, a hosted tool's progress, done events) add nothing: the
 *   encoder writes a hosted item's progress events itself.
 */
type Item<T extends ResponseOutputItem['type']> = Extract<ResponseOutputItem, { type: T }>;

class PartsOf {
  private readonly tools = new Map<number, { index: number; sent: boolean }>();
  private readonly reasoning = new Map<number, number>();
  private toolCalls = 0;
  // The text streamed so far, and where each message item's text started in it (annotations index within it).
  private text = 0;
  private readonly bases = new Map<number, number>();

  private reasoningIndex(output: number): number {
    let index = this.reasoning.get(output);
    if (index === undefined) {
      index = this.reasoning.size;
      this.reasoning.set(output, index);
    }
    return index;
  }

  private *toolStart(output: number, item: Item<'function_call'>): Generator<StreamPart> {
    if (this.tools.has(output)) return;
    const index = this.toolCalls++;
    this.tools.set(output, { index, sent: false });
    yield { type: 'tool-call-start', index, id: item.call_id, name: item.name };
  }

  private *itemDone(output: number, item: ResponseOutputItem): Generator<StreamPart> {
    if (item.type === 'function_call') {
      yield* this.toolStart(output, item);
      const tool = this.tools.get(output);
      if (tool !== undefined && !tool.sent && item.arguments !== '') {
        tool.sent = true;
        yield { type: 'tool-call-delta', index: tool.index, argumentsDelta: item.arguments };
      }
    } else if (item.type !== 'reasoning') {
      const call = hostedCallOf(item, this.text);
      if (call !== undefined) yield { type: 'hosted-call', call };
    } else {
      yield {
        type: 'reasoning-item',
        index: this.reasoningIndex(output),
        id: item.id,
        summary: item.summary.map((part) => part.text),
        ...(item.encrypted_content == null ? {} : { encrypted_content: item.encrypted_content }),
      };
    }
  }

  *of(event: ResponseStreamEvent, provider: string): Generator<StreamPart> {
    switch (event.type) {
      case 'response.output_item.added':
        if (event.item.type === 'function_call') yield* this.toolStart(event.output_index, event.item);
        if (event.item.type === 'reasoning') this.reasoningIndex(event.output_index);
        return;
      case 'response.output_item.done':
        return yield* this.itemDone(event.output_index, event.item);
      case 'response.output_text.delta':
        if (event.delta === '') return;
        if (!this.bases.has(event.output_index)) this.bases.set(event.output_index, this.text);
        this.text += event.delta.length;
        yield { type: 'text-delta', delta: event.delta };
        return;
      case 'response.output_text.annotation.added': {
        const note = event.annotation as Parameters<typeof citationOf>[0];
        const citation = citationOf(note, this.bases.get(event.output_index) ?? this.text);
        if (citation !== undefined) yield { type: 'citation', citation };
        return;
      }
      case 'response.refusal.delta':
        if (event.delta !== '') yield { type: 'refusal-delta', delta: event.delta };
        return;
      case 'response.function_call_arguments.delta': {
        const tool = this.tools.get(event.output_index);
        if (tool === undefined || event.delta === '') return;
        tool.sent = true;
        yield { type: 'tool-call-delta', index: tool.index, argumentsDelta: event.delta };
        return;
      }
      case 'response.reasoning_summary_text.delta': {
        if (event.delta === '') return;
        const index = this.reasoningIndex(event.output_index);
        yield { type: 'reasoning-delta', index, delta: event.delta, summaryIndex: event.summary_index };
        return;
      }
      case 'response.completed':
      case 'response.incomplete': {
        yield { type: 'finish', finishReason: finishOf(event.response, this.toolCalls > 0) };
        const usage = toResponsesUsage(event.response.usage, event.response.output);
        if (usage !== undefined) yield { type: 'usage', usage };
        return;
      }
      case 'response.failed':
        yield { type: 'error', error: responseError(event.response.error, provider) };
        return;
      case 'error':
        yield { type: 'error', error: responseError(event, provider) };
        return;
      default:
        return;
    }
  }
}

/** The openai SDK throws an `error` event as an APIError without a status: its body is the event. */
const errorEvent = (err: unknown): { code?: string | null; message?: string | null } | undefined =>
  err instanceof APIError && err.status === undefined && typeof err.error === 'object' && err.error !== null
    ? (err.error as { code?: string | null; message?: string | null })
    : undefined;

export async function* toResponsesStreamParts(
  events: AsyncIterable<ResponseStreamEvent>,
  provider: string,
): AsyncGenerator<StreamPart> {
  const parts = new PartsOf();
  try {
    for await (const event of events) {
      for (const part of parts.of(event, provider)) {
        yield part;
        if (part.type === 'error') return;
      }
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    const event = errorEvent(err);
    yield { type: 'error', error: event === undefined ? streamFailure(provider) : responseError(event, provider) };
  }
}
