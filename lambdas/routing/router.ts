import type { BreakerConfig, RetryConfig, TimeoutsConfig } from '../config/schema.js';
import { GatewayError } from '../core/errors.js';
import { backoffMs } from './backoff.js';
import { breakerFor, type Admission } from './breaker.js';
import { countsAgainstTarget, dispositionOf, retryAfterMs } from './classify.js';
import { targetOrder } from './order.js';
import { startTry, type Outcome, type Try } from './try.js';

export interface RouteTarget {
  readonly providerName: string;
  readonly model: string;
  readonly weight?: number | undefined;
}

export interface RoutePolicy {
  readonly strategy: 'fallback' | 'weighted';
  readonly retry: RetryConfig;
  readonly timeouts: TimeoutsConfig;
  readonly breaker: BreakerConfig;
  readonly hedge?: { readonly afterMs: number } | undefined;
}

export type RouteEvent =
  | { readonly type: 'retry'; readonly target: string; readonly error: string; readonly delayMs: number }
  | { readonly type: 'fallback'; readonly from: string; readonly error: string }
  | { readonly type: 'breaker-open'; readonly target: string }
  | { readonly type: 'breaker-skip'; readonly target: string }
  | { readonly type: 'hedge'; readonly primary: string; readonly hedge: string };

export interface RouterDeps {
  readonly now: () => number;
  readonly random: () => number;
  readonly onEvent: (event: RouteEvent) => void;
}

export interface Routed<T, R extends RouteTarget> {
  readonly value: T;
  readonly target: R;
  /** The winning try: the caller disposes of it when the value is no longer in use (a stream's end). */
  readonly winner: Try<T>;
  readonly attempts: number;
}

/** A try that produced a value. `T` for a stream is its first part and the rest; for a completion the result. */
export type Runner<T, R extends RouteTarget> = (target: R, signal: AbortSignal) => Promise<T>;

const keyOf = (target: RouteTarget): string => `${target.providerName}/${target.model}`;

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });

const noTarget = (alias: string, waitMs: number): GatewayError =>
  new GatewayError({
    message: `Every target of "${alias}" is unavailable right now (circuit breakers open); retry shortly.`,
    code: 'no_target_available',
    // Seconds until the first breaker lets a probe through, rounded up, at least 1.
    headers: { 'Retry-After': String(Number.isFinite(waitMs) ? Math.max(1, Math.ceil(waitMs / 1000)) : 1) },
  });

/**
 * Routes one request over an alias's targets: in strategy order, each up to `retry.attempts` tries with backoff
 * (Retry-After honoured up to a cap), retrying only retryable failures, failing over on provider faults, stopping at
 * once on the request's own faults and on a target's refusal (`refused`: it cannot honour the request) — unless an
 * earlier target failed or was skipped: then the next target, and with none left that earlier failure; skipping
 * targets whose breaker is open; optionally hedging the first try of a target with the next target once
 * `hedge.afterMs` passed without a result. The request signal (client gone or deadline) ends everything. Resolves
 * with the first value any try produced; the loser of a hedge is aborted.
 * Every try, however it ends, settles its target's breaker once: a success or a failure about the target is a
 * verdict; anything else (the request's own fault, a lost hedge, the deadline, the client leaving) releases the try
 * — a half-open breaker's probe included, so the next request may probe.
 */
export async function route<T, R extends RouteTarget>(
  alias: string,
  targets: readonly R[],
  policy: RoutePolicy,
  run: Runner<T, R>,
  request: AbortSignal,
  deps: RouterDeps,
  release: (value: T) => void,
): Promise<Routed<T, R>> {
  const order = targetOrder(policy.strategy, targets, deps.random);
  let attempts = 0;
  // The request's last failure that is not a refusal: what it answers with when no target is left.
  let lastError: GatewayError | undefined;
  // Targets passed over because their breaker was open: an outage too, as far as a later refusal is concerned.
  const skipped: R[] = [];
  const breaker = (target: R) => breakerFor(keyOf(target), policy.breaker);

  const admit = (target: R): Admission | undefined => {
    const admission = breaker(target).admit(deps.now());
    if (admission === undefined) {
      deps.onEvent({ type: 'breaker-skip', target: keyOf(target) });
      if (!skipped.includes(target)) skipped.push(target);
    }
    return admission;
  };
  const settle = (target: R, admission: Admission, outcome: Outcome<T> | undefined): void => {
    const targetBreaker = breaker(target);
    if (outcome?.ok === true) targetBreaker.success();
    else if (outcome === undefined || !countsAgainstTarget(outcome.error.code)) targetBreaker.release(admission);
    else if (targetBreaker.failure(deps.now(), admission === 'probe'))
      deps.onEvent({ type: 'breaker-open', target: keyOf(target) });
  };
  const begin = (target: R, admission: Admission): Try<T> => {
    attempts += 1;
    const started = startTry(
      target.providerName,
      (signal) => run(target, signal),
      request,
      policy.timeouts.firstByteMs,
    );
    // Settled here, before the router looks at the outcome, for every try: the hedge's loser and a try the request
    // signal rejected (deadline, client gone) included.
    started.outcome.then(
      (outcome) => settle(target, admission, outcome),
      () => settle(target, admission, undefined),
    );
    return started;
  };
  // A hedge claims its target's breaker only when it starts; the look ahead must not take a probe it may not use.
  const beginHedge = (target: R): Try<T> | undefined => {
    const admission = admit(target);
    return admission === undefined ? undefined : begin(target, admission);
  };

  for (let i = 0; i < order.length; i++) {
    const target = order[i] as R;
    let admission = admit(target);
    if (admission === undefined) continue;
    for (let tryNo = 1; ; tryNo++) {
      const primary = begin(target, admission);
      const hedgeIndex =
        tryNo === 1 && policy.hedge !== undefined
          ? order.findIndex((t, j) => j > i && breaker(t).available(deps.now()))
          : -1;
      const hedgeTarget = hedgeIndex >= 0 ? (order[hedgeIndex] as R) : undefined;
      const result =
        hedgeTarget === undefined || policy.hedge === undefined
          ? { target, try: primary, outcome: await primary.outcome }
          : await hedged(target, primary, hedgeTarget, policy.hedge.afterMs, beginHedge, deps, release);

      if (result.outcome.ok) {
        return { value: result.outcome.value, target: result.target, winner: result.try, attempts };
      }
      const error = result.outcome.error;
      const disposition = dispositionOf(error);
      if (disposition === 'fatal') throw error;
      if (disposition === 'refused') {
        // This target cannot honour the request: the 400 naming the field, unless an earlier target already failed,
        // in which case the request is in an outage this target cannot end; the next target may.
        if (lastError === undefined && skipped.length === 0) throw error;
        deps.onEvent({ type: 'fallback', from: keyOf(target), error: error.code });
        break;
      }
      lastError = error;
      if (result.hedged === true) {
        i = Math.max(i, hedgeIndex);
        deps.onEvent({ type: 'fallback', from: keyOf(target), error: error.code });
        break;
      }
      const delay =
        disposition === 'retry' && tryNo < policy.retry.attempts
          ? backoffMs(tryNo, policy.retry, retryAfterMs(error, deps.now()), deps.random)
          : undefined;
      if (delay === undefined) {
        deps.onEvent({ type: 'fallback', from: keyOf(target), error: error.code });
        break;
      }
      deps.onEvent({ type: 'retry', target: keyOf(target), error: error.code, delayMs: delay });
      await sleep(delay, request);
      // A retry is a try like any other: not sent while this target's breaker is open (its last failure may have
      // opened it), and it may be the probe once the breaker is half-open.
      admission = admit(target);
      if (admission === undefined) {
        deps.onEvent({ type: 'fallback', from: keyOf(target), error: error.code });
        break;
      }
    }
  }
  throw lastError ?? noTarget(alias, Math.min(...skipped.map((target) => breaker(target).waitMs(deps.now()))));
}

interface HedgeResult<T, R> {
  readonly target: R;
  readonly try: Try<T>;
  readonly outcome: Outcome<T>;
  readonly hedged?: boolean;
}

/**
 * The primary try, and after `afterMs` without a result a second try on `hedgeTarget`; the first success wins and
 * the other is aborted (its value, should it still arrive, released). Both failing: the primary's error, marked so
 * the router moves past both targets.
 */
async function hedged<T, R extends RouteTarget>(
  target: R,
  primary: Try<T>,
  hedgeTarget: R,
  afterMs: number,
  beginHedge: (target: R) => Try<T> | undefined,
  deps: RouterDeps,
  release: (value: T) => void,
): Promise<HedgeResult<T, R>> {
  let timer: NodeJS.Timeout | undefined;
  const early = await Promise.race([
    primary.outcome.then((outcome) => ({ outcome })),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), afterMs);
    }),
  ]);
  clearTimeout(timer);
  if (early !== undefined) return { target, try: primary, outcome: early.outcome };

  const second = beginHedge(hedgeTarget);
  // The hedge target's breaker refused it meanwhile (its probe taken, or opened): the primary alone.
  if (second === undefined) return { target, try: primary, outcome: await primary.outcome };
  deps.onEvent({ type: 'hedge', primary: keyOf(target), hedge: keyOf(hedgeTarget) });
  const primaryResult = primary.outcome.then((outcome) => ({ target, try: primary, outcome }));
  const secondResult = second.outcome.then((outcome) => ({ target: hedgeTarget, try: second, outcome }));
  // A request abort rejects both; whichever is not awaited must not become an unhandled rejection.
  primaryResult.catch(() => undefined);
  secondResult.catch(() => undefined);

  const first = await Promise.race([primaryResult, secondResult]);
  const [otherTry, otherResult] = first.try === primary ? [second, secondResult] : [primary, primaryResult];
  if (first.outcome.ok) {
    otherTry.abort('lost');
    void otherResult.then(
      (late) => {
        if (late.outcome.ok) {
          release(late.outcome.value);
          late.try.dispose();
        }
      },
      () => undefined,
    );
    return first;
  }
  const rest = await otherResult;
  if (rest.outcome.ok) return rest;
  return { ...(first.try === primary ? first : rest), hedged: true };
}
