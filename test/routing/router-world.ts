import { jest } from '@jest/globals';
import { GatewayError, type ErrorCode } from '../../lambdas/core/errors.js';
import { resetBreakers } from '../../lambdas/routing/breaker.js';
import {
  route,
  type RouteEvent,
  type RoutePolicy,
  type RouterDeps,
  type RouteTarget,
} from '../../lambdas/routing/router.js';

// The router with its injected clock (deps.now) and random source (deps.random), and Jest's fake timers for its
// sleeps and hedge timers: every timing in the router tests is the fake clock's, never the wall clock's.
export const A: RouteTarget = { providerName: 'a', model: 'm' };
export const B: RouteTarget = { providerName: 'b', model: 'm' };
export const C: RouteTarget = { providerName: 'c', model: 'm' };

/** What a test sets (the router's clock and random value) and reads (events; each call: target and fake time). */
export const world = {
  clock: 0,
  random: 0.5,
  events: [] as RouteEvent[],
  calls: [] as Array<[string, number]>,
  released: [] as string[],
  start: 0,
};
const deps: RouterDeps = {
  now: () => world.clock,
  random: () => world.random,
  onEvent: (event) => world.events.push(event),
};
const policy = (extra: Partial<RoutePolicy> = {}): RoutePolicy => ({
  strategy: 'fallback',
  retry: { attempts: 1, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 },
  timeouts: { requestMs: 600_000, connectMs: 60_000, firstByteMs: 60_000, idleMs: 60_000 },
  breaker: { failures: 10, window: 20, cooldownMs: 1000 },
  ...extra,
});
export const failure = (code: ErrorCode, headers: Record<string, string> = {}): GatewayError =>
  new GatewayError({ code, message: code, headers });

type Script = (target: RouteTarget, signal: AbortSignal, call: number) => Promise<string>;
export const routeWith = (targets: readonly RouteTarget[], script: Script, options: Partial<RoutePolicy> = {}) =>
  route(
    'alias',
    targets,
    policy(options),
    (target, signal) => {
      world.calls.push([target.providerName, Date.now() - world.start]);
      return script(target, signal, world.calls.length);
    },
    new AbortController().signal,
    deps,
    (value) => world.released.push(value),
  );
export const outcomeOf = (promise: Promise<{ value: string; target: RouteTarget }>) =>
  promise.then(
    (routed) => ({ served: routed.target.providerName, value: routed.value }),
    (err: unknown) => ({ error: err instanceof GatewayError ? err.code : err }),
  );
/** Lets pending promise chains run (setImmediate is not faked), then moves the fake clock by `ms`, firing timers. */
export async function advance(ms: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await jest.advanceTimersByTimeAsync(ms);
}
export const after = (ms: number, value: string): Promise<string> =>
  new Promise((resolve) => setTimeout(() => resolve(value), ms));
export const ofType = <T extends RouteEvent['type']>(type: T) =>
  world.events.filter((event): event is Extract<RouteEvent, { type: T }> => event.type === type);

/** Fake timers and closed breakers for each test of the file. */
export function useRouterWorld(): void {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    world.start = Date.now();
    resetBreakers();
    world.clock = 1_000_000;
    world.random = 0.5;
    world.events = [];
    world.calls = [];
    world.released = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });
}
