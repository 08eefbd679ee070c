import { GatewayError } from '../core/errors.js';
import type { StreamPart, Usage } from '../providers/types.js';
import { openAIUsage } from './openai-chat/chat-completion.js';

/**
 * Called once, when the stream ends — and awaited before the client is told the usage or the stream's end, so what
 * is recorded there is never less than what the client saw. Also called when the client went away mid-stream. A
 * GatewayError it throws (the usage could not be recorded) ends the stream with that error instead of the usage.
 * `error`: what a failed stream ended with (its error event); absent when the client left. `partial`: `usage` is what
 * the provider reported before the end (e.g. Anthropic's input counts), not its final count.
 */
export type StreamEnd = (outcome: { usage: Usage | undefined; failed: boolean; partial?: boolean; error?: GatewayError }) => Promise<void>;

/** The parts an encoder frames one by one: content and the finish (usage and errors are the driver's). */
export type ContentPart = Exclude<StreamPart, { type: 'usage' } | { type: 'error' }>;

/**
 * How one API format frames a stream as server-sent events. The driver (`encodeStream`) owns the order: `open`,
 * then `part` for each content or finish part, then — once the books are closed — `close` with the usage the
 * provider reported (undefined when it reported none); or `failure` for an error, after which nothing follows.
 */
export interface StreamEncoder {
  open(): Iterable<string>;
  part(part: ContentPart): Iterable<string>;
  close(usage: Usage | undefined): Iterable<string>;
  failure(error: GatewayError): string;
}

/**
 * Stream parts → SSE frames in the encoder's format, with the books closed (`onEnd`) before the client is told the
 * usage or the end. A failure after the stream began becomes the encoder's error frame and the stream ends there.
 */
export async function* encodeStream(parts: AsyncIterable<StreamPart>, encoder: StreamEncoder, onEnd: StreamEnd): AsyncGenerator<string> {
  let usage: Usage | undefined;
  let partial = false;
  let closed = false;
  const close = async (failed: boolean, error?: GatewayError): Promise<void> => {
    if (closed) return;
    closed = true;
    await onEnd({ usage, failed, ...(partial ? { partial } : {}), ...(error === undefined ? {} : { error }) });
  };
  // Where the stream ends in an error anyway, a failure to record is only logged (by onEnd), not reported twice.
  const closeQuietly = async (failed: boolean, error?: GatewayError): Promise<void> => {
    try {
      await close(failed, error);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
    }
  };
  try {
    yield* encoder.open();
    for await (const part of parts) {
      if (part.type === 'usage') {
        usage = part.usage;
        partial = part.partial === true;
      } else if (part.type === 'error') {
        await closeQuietly(true, part.error);
        yield encoder.failure(part.error);
        return;
      } else yield* encoder.part(part);
    }
    try {
      await close(false);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      yield encoder.failure(err);
      return;
    }
    yield* encoder.close(usage);
  } finally {
    // The client went away (or the upstream threw): still close the books on what was produced.
    await closeQuietly(true);
  }
}

export interface SseMeta {
  readonly id: string;
  readonly created: number;
  readonly alias: string;
  /** stream_options.include_usage: one more chunk with `choices: []` and the usage, after the finish. */
  readonly includeUsage: boolean;
}

const frame = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;

/**
 * OpenAI SSE: chat.completion.chunk events, then `data: [DONE]`. The first chunk carries the role; tool calls keep
 * their distinct indices; usage comes last and only when asked for. A failure is an SSE error event (which the
 * openai SDK raises as an APIError) and the stream ends without [DONE].
 */
export function openAIStreamEncoder(meta: SseMeta): StreamEncoder {
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) =>
    frame({
      id: meta.id,
      object: 'chat.completion.chunk',
      created: meta.created,
      model: meta.alias,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
      ...(meta.includeUsage ? { usage: null } : {}),
    });
  return {
    open: () => [chunk({ role: 'assistant', content: '' })],
    part: (part) => {
      switch (part.type) {
        case 'text-delta':
          return [chunk({ content: part.delta })];
        case 'refusal-delta':
          return [chunk({ refusal: part.delta })];
        case 'tool-call-start':
          return [chunk({ tool_calls: [{ index: part.index, id: part.id, type: 'function', function: { name: part.name, arguments: '' } }] })];
        case 'tool-call-delta':
          return [chunk({ tool_calls: [{ index: part.index, function: { arguments: part.argumentsDelta } }] })];
        case 'finish':
          return [chunk({}, part.finishReason)];
      }
    },
    close: (usage) => [
      ...(meta.includeUsage && usage !== undefined
        ? [frame({ id: meta.id, object: 'chat.completion.chunk', created: meta.created, model: meta.alias, choices: [], usage: openAIUsage(usage) })]
        : []),
      'data: [DONE]\n\n',
    ],
    failure: (error) => frame(error.toBody()),
  };
}

/** Stream parts → OpenAI SSE (see openAIStreamEncoder). */
export const toSse = (parts: AsyncIterable<StreamPart>, meta: SseMeta, onEnd: StreamEnd): AsyncGenerator<string> =>
  encodeStream(parts, openAIStreamEncoder(meta), onEnd);
