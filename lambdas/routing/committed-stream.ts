import { GatewayError } from '../core/errors.js';
import { streamTruncated } from '../providers/stream-cut.js';
import type { ChatProvider, ProviderCall, StreamPart } from '../providers/types.js';
import { timeoutError, type Try } from './try.js';
import { phaseMark } from '../observability/phase-marks.js';

/** A stream that has produced its first part: what the router commits to, or tries elsewhere. */
export interface StartedStream {
  readonly first: StreamPart;
  readonly rest: AsyncIterator<StreamPart>;
}

/**
 * Starts a stream and waits for its first part: the upstream must answer with a status within `connectMs`; an
 * `error` part before any content fails the try (so the router can still fail over — nothing reached the client).
 */
export async function startStream(
  provider: ChatProvider,
  call: Omit<ProviderCall, 'signal'>,
  signal: AbortSignal,
  connectMs: number,
): Promise<StartedStream> {
  const connect = new AbortController();
  const forward = (): void => connect.abort(signal.reason);
  signal.addEventListener('abort', forward, { once: true });
  let connectTimedOut = false;
  const timer = setTimeout(() => {
    connectTimedOut = true;
    connect.abort(new Error('connect timeout'));
  }, connectMs);
  let parts: AsyncIterable<StreamPart>;
  try {
    parts = await provider.stream({ ...call, signal: connect.signal });
  } catch (err) {
    if (connectTimedOut) throw timeoutError(provider.name);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  phaseMark?.('stream head (SDK)');
  const rest = parts[Symbol.asyncIterator]();
  const first = await rest.next();
  phaseMark?.('first part');
  if (first.done === true) {
    throw new GatewayError({
      message: `Provider ${provider.name} sent an empty stream.`,
      code: 'upstream_stream_error',
    });
  }
  if (first.value.type === 'error') throw first.value.error;
  return { first: first.value, rest };
}

const idleError = (provider: string): GatewayError =>
  new GatewayError({
    message: `Provider ${provider} went silent mid-stream.`,
    code: 'upstream_idle_timeout',
  });

/**
 * The request's own end, as a committed stream sees it: the request's signal (client gone, deadline) and the error a
 * stream it cuts ends with — undefined when nobody is left to tell (the client went away): the stream then throws.
 */
export interface RequestCut {
  readonly signal: AbortSignal;
  errorOf(reason: unknown): GatewayError | undefined;
}

/**
 * The committed stream: the first part, then the rest, each within `idleMs` of the last; silence longer than that
 * aborts the upstream and ends the stream with an error part. Content from one target only: nothing here retries.
 * One timer for the whole stream, restarted at each read (not a timer and a race per part).
 * It ends in one of two ways: after the upstream's `finish` part (and what follows it, e.g. usage) ran to its end, or
 * with an error part — the upstream's, the idle timeout's, the request's cut (`cut`: e.g. its deadline, at once, not
 * at the next upstream piece), or `upstream_stream_truncated` when the upstream ended without a finish. So a stream
 * cut short never looks complete.
 */
export async function* committedStream(
  started: StartedStream,
  winner: Try<StartedStream>,
  provider: string,
  idleMs: number,
  cut?: RequestCut,
): AsyncGenerator<StreamPart> {
  let finished = false;
  let finishSeen = started.first.type === 'finish';
  let wake: ((value: 'idle' | 'cut') => void) | undefined;
  const timer = setTimeout(() => wake?.('idle'), idleMs);
  const onCut = (): void => wake?.('cut');
  cut?.signal.addEventListener('abort', onCut, { once: true });
  const nextWithinIdle = (): Promise<IteratorResult<StreamPart> | 'idle' | 'cut'> =>
    new Promise((resolve, reject) => {
      if (cut?.signal.aborted === true) {
        resolve('cut');
        return;
      }
      wake = resolve;
      timer.refresh();
      started.rest.next().then(resolve, reject);
    });
  try {
    yield started.first;
    for (;;) {
      let next: IteratorResult<StreamPart> | 'idle' | 'cut';
      try {
        next = await nextWithinIdle();
      } catch (err) {
        // The upstream threw because the request was cut (an abort): the cut says how the stream ends.
        if (cut?.signal.aborted !== true) throw err;
        next = 'cut';
      }
      wake = undefined;
      if (next === 'idle') {
        winner.abort('timeout');
        yield { type: 'error', error: idleError(provider) };
        return;
      }
      if (next === 'cut') {
        const reason: unknown = cut?.signal.reason;
        const error = cut?.errorOf(reason);
        if (error === undefined) throw reason instanceof Error ? reason : new Error('The request was aborted.');
        yield { type: 'error', error };
        return;
      }
      if (next.done === true) {
        finished = true;
        if (!finishSeen) yield { type: 'error', error: streamTruncated(provider) };
        return;
      }
      yield next.value;
      if (next.value.type === 'finish') finishSeen = true;
      if (next.value.type === 'error') return;
    }
  } finally {
    clearTimeout(timer);
    cut?.signal.removeEventListener('abort', onCut);
    // An upstream that ran to its end has nothing left to cancel; anything else (client gone, error part) is cut.
    if (!finished) winner.abort('lost');
    winner.dispose();
  }
}
