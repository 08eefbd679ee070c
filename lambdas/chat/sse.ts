import { GatewayError } from '../core/errors.js';
import type { StreamPart, Usage } from '../providers/types.js';
import { openAIUsage } from './completion.js';

export interface SseMeta {
  readonly id: string;
  readonly created: number;
  readonly alias: string;
  /** stream_options.include_usage: one more chunk with `choices: []` and the usage, after the finish. */
  readonly includeUsage: boolean;
}

/**
 * Called once, when the stream ends — and awaited before the client is told the usage or the stream's end, so what
 * is recorded there is never less than what the client saw. Also called when the client went away mid-stream. A
 * GatewayError it throws (the usage could not be recorded) ends the stream with that error instead of the usage.
 */
export type StreamEnd = (outcome: { usage: Usage | undefined; failed: boolean }) => Promise<void>;

const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/**
 * Stream parts → OpenAI SSE: chat.completion.chunk events, then `data: [DONE]`. The first chunk carries the role;
 * tool calls keep their distinct indices; usage comes last and only when asked for. A failure after the stream
 * began becomes an SSE error event (which the openai SDK raises as an APIError) and the stream ends without [DONE].
 */
export async function* toSse(parts: AsyncIterable<StreamPart>, meta: SseMeta, onEnd: StreamEnd): AsyncGenerator<string> {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    frame({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.alias,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(meta.includeUsage ? { usage: null } : {}),
    });

  let usage: Usage | undefined;
  let closed = false;
  const close = async (failed: boolean): Promise<void> => {
    if (closed) return;
    closed = true;
    await onEnd({ usage, failed });
  };
  // Where the stream ends in an error anyway, a failure to record is only logged (by onEnd), not reported twice.
  const closeQuietly = async (failed: boolean): Promise<void> => {
    try {
      await close(failed);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
    }
  };
  try {
    yield chunk({ role: 'assistant', content: '' });
    for await (const part of parts) {
      switch (part.type) {
        case 'text-delta':
          yield chunk({ content: part.delta });
          break;
        case 'tool-call-start':
          yield chunk({ tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] });
          break;
        case 'tool-call-delta':
          yield chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] });
          break;
        case 'finish':
          yield chunk({}, part.finishReason);
          break;
        case 'usage':
          usage = part.usage;
          break;
        case 'error':
          await closeQuietly(true);
          yield frame(part.error.toBody());
          return;
      }
    }
    try {
      await close(false);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      yield frame(err.toBody());
      return;
    }
    if (meta.includeUsage && usage !== undefined) {
      yield frame({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.alias, choices: [], usage: openAIUsage(usage) });
    }
    yield 'data: [DONE]\n\n';
  } finally {
    // The client went away (or the upstream threw): still close the books on what was produced.
    await closeQuietly(true);
  }
}
