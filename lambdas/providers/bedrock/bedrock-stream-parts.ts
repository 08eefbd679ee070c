import type { ConverseStreamOutput, ReasoningContentBlockDelta } from '@aws-sdk/client-bedrock-runtime';
import { streamTruncated } from '../stream-cut.js';
import { isAbort, streamFailure } from '../upstream-error.js';
import type { StreamPart } from '../types.js';
import { bedrockError, exceptionName } from './bedrock-error.js';
import { stopSequenceOf, toFinishReason, toUsage } from './bedrock-usage.js';

/**
 * ConverseStream events → stream parts.
 * - Tool calls are numbered 0, 1, 2… over toolUse blocks only, in the order their contentBlockStart comes (Bedrock's
 *   contentBlockIndex counts text and reasoning blocks too); input deltas follow their block to that number. A tool
 *   call that streamed no input gets "{}".
 * - reasoningContent deltas: text → `reasoning-delta`, signature → `reasoning-signature`, redacted bytes → one
 *   `reasoning-redacted` part (base64); numbered 0, 1, 2… over reasoning blocks, in the order they start.
 * - messageStop → `finish` (its stopReason); metadata, which follows it → `usage`. The stream is complete at
 *   messageStop: a failure after it only loses the usage (metering then estimates it).
 * - An exception event (throttlingException, modelStreamErrorException, serviceUnavailableException,
 *   validationException, internalServerException: the SDK throws them from the iterator), a broken connection, or an
 *   end before messageStop (502 upstream_stream_truncated) yields one `error` part and ends. An abort is rethrown.
 */
interface ToolBlock {
  readonly index: number;
  sentInput: boolean;
}

class EventTranslator {
  finished = false;
  private readonly tools = new Map<number, ToolBlock>();
  private readonly reasoning = new Map<number, number>();

  constructor(private readonly provider: string) {}

  accept(event: ConverseStreamOutput): StreamPart[] {
    if (event.contentBlockStart !== undefined) {
      const start = event.contentBlockStart.start?.toolUse;
      if (start === undefined) return [];
      const index = this.tools.size;
      this.tools.set(event.contentBlockStart.contentBlockIndex ?? -1, { index, sentInput: false });
      return [{ type: 'tool-call-start', index, id: start.toolUseId ?? '', name: start.name ?? '' }];
    }
    if (event.contentBlockDelta !== undefined) {
      const at = event.contentBlockDelta.contentBlockIndex ?? -1;
      const delta = event.contentBlockDelta.delta;
      if (delta?.text !== undefined) return delta.text === '' ? [] : [{ type: 'text-delta', delta: delta.text }];
      if (delta?.reasoningContent !== undefined) return this.reasoningDelta(at, delta.reasoningContent);
      const tool = this.tools.get(at);
      const input = delta?.toolUse?.input;
      if (tool === undefined || input === undefined || input === '') return [];
      tool.sentInput = true;
      return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: input }];
    }
    if (event.contentBlockStop !== undefined) {
      const tool = this.tools.get(event.contentBlockStop.contentBlockIndex ?? -1);
      if (tool === undefined || tool.sentInput) return [];
      tool.sentInput = true;
      return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: '{}' }];
    }
    if (event.messageStop !== undefined) {
      this.finished = true;
      const { stopReason, additionalModelResponseFields } = event.messageStop;
      return [
        {
          type: 'finish',
          finishReason: toFinishReason(stopReason),
          ...stopSequenceOf(stopReason, additionalModelResponseFields),
        },
      ];
    }
    if (event.metadata !== undefined) {
      const usage = toUsage(event.metadata.usage);
      return usage === undefined ? [] : [{ type: 'usage', usage }];
    }
    return this.exceptionPart(event);
  }

  /** An exception member the SDK handed over as an event rather than throwing it (defensive): an error part. */
  private exceptionPart(event: ConverseStreamOutput): StreamPart[] {
    for (const [member, value] of Object.entries(event)) {
      if (!member.endsWith('Exception') || value == null) continue;
      const message = typeof value === 'object' && 'message' in value ? String(value.message) : '';
      const error = Object.assign(new Error(message), { name: exceptionName(member) });
      return [{ type: 'error', error: bedrockError(error, this.provider) }];
    }
    return [];
  }

  private reasoningDelta(at: number, delta: ReasoningContentBlockDelta): StreamPart[] {
    let index = this.reasoning.get(at);
    if (index === undefined) {
      index = this.reasoning.size;
      this.reasoning.set(at, index);
    }
    if (delta.text !== undefined)
      return delta.text === '' ? [] : [{ type: 'reasoning-delta', index, delta: delta.text }];
    if (delta.signature !== undefined) return [{ type: 'reasoning-signature', index, signature: delta.signature }];
    if (delta.redactedContent !== undefined) {
      return [{ type: 'reasoning-redacted', index, data: Buffer.from(delta.redactedContent).toString('base64') }];
    }
    return [];
  }
}

/** An exception event the SDK threw (its modelled name ends in Exception), else a broken stream. */
const thrownFailure = (err: unknown, provider: string) =>
  err instanceof Error && err.name.endsWith('Exception') ? bedrockError(err, provider) : streamFailure(provider, err);

function abortError(signal: AbortSignal | undefined): Error {
  const error = new Error('The upstream stream was aborted.', { cause: signal?.reason });
  error.name = 'AbortError';
  return error;
}

export async function* toStreamParts(
  events: AsyncIterable<ConverseStreamOutput>,
  context: { readonly provider: string; readonly signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const translator = new EventTranslator(context.provider);
  try {
    for await (const event of events) {
      const parts = translator.accept(event);
      yield* parts;
      if (parts.some((part) => part.type === 'error')) return;
    }
  } catch (err) {
    if (isAbort(err)) throw err;
    if (context.signal?.aborted === true) throw abortError(context.signal);
    // After messageStop the answer is whole: only the usage is lost (metering estimates it).
    if (!translator.finished) yield { type: 'error', error: thrownFailure(err, context.provider) };
    return;
  }
  if (context.signal?.aborted === true) throw abortError(context.signal);
  if (!translator.finished) yield { type: 'error', error: streamTruncated(context.provider) };
}
