import { GatewayError } from '../core/errors.js';
import type { StreamPart, Usage } from '../providers/types.js';

/**
 * Called once, when the stream ends — and awaited before the client is told the usage or the stream's end, so what
 * is recorded there is never less than what the client saw (on a streaming function it registers the booking, which
 * is written after the stream has ended and before the invocation resolves: chat/metering.ts). Also called when the client went away mid-stream. A
 * GatewayError it throws (the usage could not be recorded) ends the stream with that error instead of the usage.
 * `error`: what a failed stream ended with (its error event); absent when the client left. `partial`: `usage` is what
 * the provider reported before the end (e.g. Anthropic's input counts), not its final count.
 */
export type StreamEnd = (outcome: {
  usage: Usage | undefined;
  failed: boolean;
  partial?: boolean;
  error?: GatewayError;
}) => Promise<void>;

/** The parts an encoder frames one by one: content and the finish (usage and errors are the driver's). */
export type ContentPart = Exclude<StreamPart, { type: 'usage' } | { type: 'error' }>;

/**
 * How one API format frames a stream as server-sent events. The driver (`encodeStream`) owns the order: `open`,
 * then `part` for each content or finish part, then — once the books are closed — `close` with the usage the
 * provider reported (undefined when it reported none); or `failure` for an error, after which nothing follows.
 */
export interface StreamEncoder {
  /** `reported`: the counts the provider gave before its first content (Anthropic's message_start), if any. */
  open(reported?: Usage): Iterable<string>;
  part(part: ContentPart): Iterable<string>;
  close(usage: Usage | undefined): Iterable<string>;
  failure(error: GatewayError): string;
  /**
   * What the format keeps of a stream that ended well (stored responses), once the books are closed and before
   * `close`: never before the first byte. It logs its own failures rather than throwing.
   */
  keep?(usage: Usage | undefined): Promise<void>;
}

/**
 * Stream parts → SSE frames in the encoder's format, with the books closed (`onEnd`: the entry made and its booking
 * registered, written once the stream has ended) before the client is told the usage or the end. A failure after the stream began becomes the encoder's error frame and the stream ends there.
 */
export async function* encodeStream(
  parts: AsyncIterable<StreamPart>,
  encoder: StreamEncoder,
  onEnd: StreamEnd,
): AsyncGenerator<string> {
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
  // Opened at the first content, error or end: after a usage part the provider sent before its first content.
  let opened = false;
  const open = (): Iterable<string> => {
    if (opened) return [];
    opened = true;
    return encoder.open(usage);
  };
  try {
    for await (const part of parts) {
      if (part.type === 'usage') {
        usage = part.usage;
        partial = part.partial === true;
      } else if (part.type === 'error') {
        yield* open();
        await closeQuietly(true, part.error);
        yield encoder.failure(part.error);
        return;
      } else {
        yield* open();
        yield* encoder.part(part);
      }
    }
    yield* open();
    try {
      await close(false);
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      yield encoder.failure(err);
      return;
    }
    await encoder.keep?.(usage);
    yield* encoder.close(usage);
  } finally {
    // The client went away (or the upstream threw): still close the books on what was produced.
    await closeQuietly(true);
  }
}
