import { GatewayError } from '../core/errors.js';
import { isAbort, toGatewayError } from '../providers/upstream-error.js';

/** Why a try's controller was aborted by the router itself (not by the client or the deadline). */
export class TryAbort extends Error {
  constructor(readonly why: 'timeout' | 'lost') {
    super(`try ${why}`);
  }
}

// Abort reasons are compared, never thrown to a caller: one instance each spares a stack capture per abort.
const REASONS = { timeout: new TryAbort('timeout'), lost: new TryAbort('lost') } as const;

export type Outcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: GatewayError };

export interface Try<T> {
  readonly outcome: Promise<Outcome<T>>;
  /** Aborts this try (a hedged loser, or the end of the stream it produced). */
  abort(why: 'timeout' | 'lost'): void;
  /** Unlinks the try from the request signal once its value is no longer in use. */
  dispose(): void;
  readonly signal: AbortSignal;
}

/**
 * One try on one target: its own AbortController, linked to the request's signal (client gone, deadline), and a
 * first-byte timer (`firstByteMs`: until the runner resolves). A runner failure becomes a GatewayError; a try the
 * router timed out becomes 504 `upstream_timeout`; a request abort rejects the outcome with the request's reason.
 */
export function startTry<T>(
  provider: string,
  run: (signal: AbortSignal) => Promise<T>,
  request: AbortSignal,
  firstByteMs: number,
): Try<T> {
  const controller = new AbortController();
  const onRequestAbort = (): void => controller.abort(request.reason);
  request.addEventListener('abort', onRequestAbort, { once: true });
  const timer = setTimeout(() => controller.abort(REASONS.timeout), firstByteMs);
  const dispose = (): void => request.removeEventListener('abort', onRequestAbort);

  const outcome = (async (): Promise<Outcome<T>> => {
    try {
      if (request.aborted) throw request.reason;
      return { ok: true, value: await run(controller.signal) };
    } catch (err) {
      if (request.aborted) throw request.reason;
      const reason: unknown = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof TryAbort && reason.why === 'timeout') {
        return { ok: false, error: timeoutError(provider) };
      }
      if (controller.signal.aborted || isAbort(err)) return { ok: false, error: lostError(provider) };
      return { ok: false, error: toGatewayError(err, provider) };
    } finally {
      clearTimeout(timer);
    }
  })();
  outcome.then((o) => (o.ok ? undefined : dispose()), dispose);

  return { outcome, abort: (why) => controller.abort(REASONS[why]), dispose, signal: controller.signal };
}

export const timeoutError = (provider: string): GatewayError =>
  new GatewayError({ message: `Provider ${provider} did not answer in time.`, code: 'upstream_timeout' });

const lostError = (provider: string): GatewayError =>
  new GatewayError({ message: `The try on provider ${provider} was cancelled.`, code: 'try_cancelled' });
