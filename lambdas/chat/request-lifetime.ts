import { countMetric } from '../observability/emf-metrics.js';
import type { RequestCut } from '../routing/committed-stream.js';
import type { RouteEvent, RouterDeps } from '../routing/router.js';
import { onClientGone } from '../runtime/client-signal.js';
import { requestDeadlineMs } from '../runtime/deadline.js';
import type { GatewayRequest } from '../runtime/types.js';
import { CLIENT_GONE, ClientGone, DEADLINE, DeadlineExceeded, deadlineError, failureOf } from './abort-reasons.js';

/**
 * How long one routed request (a chat run, an embeddings run) lives, and what ends it: its AbortController, fired by
 * the alias's deadline or by the client going away, and the router's dependencies, whose events are logged and
 * counted (the fallbacks kept for the request's books).
 */
export class RequestLifetime {
  readonly controller = new AbortController();
  readonly deadlineMs: number;
  readonly deps: RouterDeps;
  private readonly deadline: NodeJS.Timeout;
  private readonly forgetClient: () => void;
  private fallbackCount = 0;

  constructor(gateway: GatewayRequest, alias: string, requestMs: number) {
    // In Lambda the deadline ends before the invocation does, with time left to book the request (runtime/deadline.ts).
    this.deadlineMs = requestDeadlineMs(requestMs, gateway.lambdaContext);
    this.deadline = setTimeout(() => this.controller.abort(DEADLINE), this.deadlineMs);
    // The client leaving stops the upstream call at once: while waiting for a JSON answer or a stream's first byte,
    // and between two pieces of a stream (client-signal.ts: locally the socket's close; in Lambda only a failed stream).
    this.forgetClient = onClientGone(gateway.event, () => this.controller.abort(CLIENT_GONE));
    this.deps = {
      now: Date.now,
      random: Math.random,
      onEvent: (event) => {
        if (event.type === 'fallback') this.fallbackCount += 1;
        recordEvent(gateway, alias, event);
      },
    };
  }

  /** The fallbacks the router made so far. */
  get fallbacks(): number {
    return this.fallbackCount;
  }

  /** Whether the client left (the controller fired for it): such a request owes the input of the call it left. */
  get clientGone(): boolean {
    return this.controller.signal.reason instanceof ClientGone;
  }

  /** The deadline cuts a committed stream with its own error event at once; a client gone needs none. */
  cut(): RequestCut {
    return {
      signal: this.controller.signal,
      errorOf: (reason: unknown) => (reason instanceof DeadlineExceeded ? deadlineError(this.deadlineMs) : undefined),
    };
  }

  /** The answer is there (or the stream ended): neither the deadline nor the client's leaving concerns it any more. */
  settle(): void {
    clearTimeout(this.deadline);
    this.forgetClient();
  }

  /**
   * Nothing more is wanted upstream (the client left, or the stream failed): the call stops, even when the stream was
   * left before its parts were read.
   */
  stopUpstream(): void {
    clearTimeout(this.deadline);
    if (!this.controller.signal.aborted) this.controller.abort(CLIENT_GONE);
  }

  /**
   * A request that failed before its answer, settled: the deadline's 504 or a client gone's 499 when the controller
   * fired for either, else the failure itself.
   */
  failure(err: unknown): unknown {
    this.settle();
    return failureOf(this.controller.signal.reason, err, this.deadlineMs);
  }
}

export function recordEvent(gateway: GatewayRequest, alias: string, event: RouteEvent): void {
  gateway.log.info(`routing ${event.type}`, { ...event, alias });
  // Fallbacks are counted once, per request, in the request metrics.
  const name = {
    retry: 'Retries',
    fallback: undefined,
    'breaker-open': 'BreakerOpens',
    'breaker-skip': 'BreakerSkips',
    hedge: 'Hedges',
  }[event.type];
  if (name !== undefined) countMetric(name, { Model: alias });
}
