import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { streamTruncated } from '../stream-cut.js';
import { isAbort } from '../upstream-error.js';
// isAbort knows the SDK's abort error once its classes are registered: this module reads the SDK's streams.
import './anthropic-errors.js';
import type { StreamPart } from '../types.js';
import { ServerBlocks } from './server-stream.js';
import { errorEventFailure, errorEventType, thrownStreamFailure } from './stream-error.js';
import { stopSequenceOf, toFinishReason } from './stop-reason.js';
import { mergeUsage, toUsage, type AnthropicUsage } from './usage.js';

/**
 * Anthropic stream events → stream parts.
 * - Tool calls are numbered 0, 1, 2… over tool_use blocks only, in the order they start (Anthropic's block index
 *   counts text and thinking blocks too); argument deltas follow their block to that number, so parallel calls keep
 *   distinct indices even when their deltas interleave. A tool call that streamed no argument text gets "{}".
 * - message_stop yields `finish` then `usage` (input counts from message_start, merged with message_delta's
 *   cumulative counts) and ends the stream. ping and unknown events are ignored. Server tool blocks and citations:
 *   server-stream.ts (`hosted-call` and `citation` parts).
 * - thinking blocks → `reasoning-delta` parts (thinking_delta) and a `reasoning-signature` (signature_delta);
 *   redacted_thinking → one `reasoning-redacted` part; numbered 0, 1, 2… over reasoning blocks, in the order they
 *   start (the parts of one block share its number).
 * - With the first content (just before it), a `partial` usage part carries message_start's counts, kept if the
 *   stream fails later and given in the client's own message_start.
 * - An `error` event, a thrown iterator or a stream that ends before message_stop (502 upstream_stream_truncated)
 *   yields one `error` part and ends. Nothing throws mid-stream except an abort (the SDK ends quietly when aborted:
 *   then an AbortError is thrown).
 */
interface StreamContext {
  readonly provider: string;
  readonly signal?: AbortSignal;
}

interface ToolBlock {
  readonly index: number;
  sentArguments: boolean;
}

class EventTranslator {
  finished = false;
  private readonly tools = new Map<number, ToolBlock>();
  /** Anthropic's block index → the reasoning block's number. */
  private readonly reasoning = new Map<number, number>();
  private usage: AnthropicUsage = {};
  private seenUsage = false;
  private stopReason: string | null = null;
  private stopSequence: string | null = null;
  private sentPartial = false;
  private readonly server = new ServerBlocks();

  constructor(private readonly provider: string) {}

  accept(event: RawMessageStreamEvent): StreamPart[] {
    const parts = this.parts(event);
    for (const part of parts) if (part.type === 'text-delta') this.server.onText(part.delta);
    return [...parts, ...this.server.accept(event)];
  }

  private parts(event: RawMessageStreamEvent): StreamPart[] {
    switch (event.type) {
      case 'message_start':
        this.addUsage(event.message.usage);
        return [];
      case 'content_block_start': {
        const block = event.content_block;
        if (block.type === 'text') return block.text === '' ? [] : [{ type: 'text-delta', delta: block.text }];
        if (block.type === 'thinking' || block.type === 'redacted_thinking')
          return this.startReasoning(event.index, block);
        if (block.type !== 'tool_use') return [];
        const index = this.tools.size;
        this.tools.set(event.index, { index, sentArguments: false });
        return [{ type: 'tool-call-start', index, id: block.id, name: block.name }];
      }
      case 'content_block_delta': {
        const delta = event.delta;
        if (delta.type === 'text_delta') return delta.text === '' ? [] : [{ type: 'text-delta', delta: delta.text }];
        if (delta.type === 'thinking_delta' || delta.type === 'signature_delta')
          return this.reasoningDelta(event.index, delta);
        const tool = this.tools.get(event.index);
        if (delta.type !== 'input_json_delta' || tool === undefined || delta.partial_json === '') return [];
        tool.sentArguments = true;
        return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: delta.partial_json }];
      }
      case 'content_block_stop': {
        const tool = this.tools.get(event.index);
        if (tool === undefined || tool.sentArguments) return [];
        tool.sentArguments = true;
        return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: '{}' }];
      }
      case 'message_delta':
        this.stopReason = event.delta.stop_reason ?? this.stopReason;
        this.stopSequence = event.delta.stop_sequence ?? this.stopSequence;
        this.addUsage(event.usage);
        return [];
      case 'message_stop':
        this.finished = true;
        return [
          {
            type: 'finish',
            finishReason: toFinishReason(this.stopReason),
            ...stopSequenceOf(this.stopReason, this.stopSequence),
          },
          ...(this.seenUsage ? [{ type: 'usage', usage: toUsage(this.usage) } as const] : []),
        ];
      default:
        return this.acceptUnknown(event);
    }
  }

  private startReasoning(
    at: number,
    block: { type: 'thinking'; thinking: string; signature: string } | { type: 'redacted_thinking'; data: string },
  ): StreamPart[] {
    const index = this.reasoning.size;
    this.reasoning.set(at, index);
    if (block.type === 'redacted_thinking') return [{ type: 'reasoning-redacted', index, data: block.data }];
    return [
      ...(block.thinking === '' ? [] : [{ type: 'reasoning-delta', index, delta: block.thinking } as const]),
      ...(block.signature === '' ? [] : [{ type: 'reasoning-signature', index, signature: block.signature } as const]),
    ];
  }

  private reasoningDelta(
    at: number,
    delta: { type: 'thinking_delta'; thinking: string } | { type: 'signature_delta'; signature: string },
  ): StreamPart[] {
    const index = this.reasoning.get(at);
    if (index === undefined) return [];
    if (delta.type === 'signature_delta') return [{ type: 'reasoning-signature', index, signature: delta.signature }];
    return delta.thinking === '' ? [] : [{ type: 'reasoning-delta', index, delta: delta.thinking }];
  }

  /** Events the SDK types do not list: an `error` event ends the stream; anything else (a newer API's event) is skipped. */
  private acceptUnknown(event: unknown): StreamPart[] {
    const type = errorEventType(event);
    if (type === undefined) return [];
    this.finished = true;
    return [{ type: 'error', error: errorEventFailure(type, this.provider) }];
  }

  /**
   * With the first content: the counts reported so far (message_start's input counts), as a partial usage part, so
   * a stream that fails later (error event, cut connection, deadline, idle timeout) keeps the provider's input counts
   * instead of an estimate. Only with content, just before it: a stream's first part decides where the router commits.
   */
  partialUsage(produced: readonly StreamPart[]): StreamPart | undefined {
    if (this.sentPartial || !this.seenUsage || produced.length === 0) return undefined;
    this.sentPartial = true;
    return { type: 'usage', usage: toUsage(this.usage), partial: true };
  }

  private addUsage(usage: AnthropicUsage | null | undefined): void {
    if (usage == null) return;
    this.usage = mergeUsage(this.usage, usage);
    this.seenUsage = true;
  }
}

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('The upstream stream was aborted.', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

export async function* toStreamParts(
  events: AsyncIterable<RawMessageStreamEvent>,
  context: StreamContext,
): AsyncGenerator<StreamPart> {
  const translator = new EventTranslator(context.provider);
  try {
    for await (const event of events) {
      const parts = translator.accept(event);
      // message_start's counts go just before the first content (so a client's message_start can carry them).
      const partial = translator.partialUsage(parts);
      if (partial !== undefined) yield partial;
      yield* parts;
      if (translator.finished) return;
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    if (context.signal?.aborted === true) throw abortError(context.signal);
    yield { type: 'error', error: thrownStreamFailure(err, context.provider) };
    return;
  }
  if (context.signal?.aborted === true) throw abortError(context.signal);
  yield { type: 'error', error: streamTruncated(context.provider) };
}
