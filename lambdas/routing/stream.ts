import { GatewayError } from '../core/errors.js';
import type { ChatProvider, ProviderCall, StreamPart } from '../providers/types.js';
import { timeoutError, type Try } from './try.js';

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
  const rest = parts[Symbol.asyncIterator]();
  const first = await rest.next();
  if (first.done === true) {
    throw new GatewayError({ status: 502, type: 'api_error', message: `Provider ${provider.name} sent an empty stream.`, code: 'upstream_stream_error' });
  }
  if (first.value.type === 'error') throw first.value.error;
  return { first: first.value, rest };
}

const idleError = (provider: string): GatewayError =>
  new GatewayError({
    status: 504,
    type: 'api_error',
    message: `Provider ${provider} went silent mid-stream.`,
    code: 'upstream_idle_timeout',
  });

/**
 * The committed stream: the first part, then the rest, each within `idleMs` of the last; silence longer than that
 * aborts the upstream and ends the stream with an error part. Content from one target only: nothing here retries.
 * One timer for the whole stream, restarted at each read (not a timer and a race per part).
 */
export async function* committedStream(started: StartedStream, winner: Try<StartedStream>, provider: string, idleMs: number): AsyncGenerator<StreamPart> {
  let finished = false;
  let wake: ((value: 'idle') => void) | undefined;
  const timer = setTimeout(() => wake?.('idle'), idleMs);
  const nextWithinIdle = (): Promise<IteratorResult<StreamPart> | 'idle'> =>
    new Promise((resolve, reject) => {
      wake = resolve;
      timer.refresh();
      started.rest.next().then(resolve, reject);
    });
  try {
    yield started.first;
    for (;;) {
      const next = await nextWithinIdle();
      wake = undefined;
      if (next === 'idle') {
        winner.abort('timeout');
        yield { type: 'error', error: idleError(provider) };
        return;
      }
      if (next.done === true) {
        finished = true;
        return;
      }
      yield next.value;
      if (next.value.type === 'error') return;
    }
  } finally {
    clearTimeout(timer);
    // An upstream that ran to its end has nothing left to cancel; anything else (client gone, error part) is cut.
    if (!finished) winner.abort('lost');
    winner.dispose();
  }
}
