import { jest } from '@jest/globals';
import { GatewayError, type ErrorCode } from '../../lambdas/core/errors.js';
import { breakerFor, resetBreakers } from '../../lambdas/routing/breaker.js';
import { route, type RouteEvent, type RoutePolicy, type RouterDeps, type RouteTarget } from '../../lambdas/routing/router.js';
import { TryAbort } from '../../lambdas/routing/try.js';

// The router with its injected clock (deps.now) and random source (deps.random), and Jest's fake timers for its
// sleeps and hedge timers: every timing below is the fake clock's, never the wall clock's. Breaker probes and their
// release are in router-breaker.test.ts; backoffMs and targetOrder alone in policy-parts.test.ts.
const A: RouteTarget = { providerName: 'a', model: 'm' };
const B: RouteTarget = { providerName: 'b', model: 'm' };
const C: RouteTarget = { providerName: 'c', model: 'm' };

let clock = 0;
let random = 0.5;
let events: RouteEvent[] = [];
const deps: RouterDeps = { now: () => clock, random: () => random, onEvent: (event) => events.push(event) };
const policy = (extra: Partial<RoutePolicy> = {}): RoutePolicy => ({
  strategy: 'fallback',
  retry: { attempts: 1, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 },
  timeouts: { requestMs: 600_000, connectMs: 60_000, firstByteMs: 60_000, idleMs: 60_000 },
  breaker: { failures: 10, window: 20, cooldownMs: 1000 },
  ...extra,
});
const failure = (code: ErrorCode, headers: Record<string, string> = {}): GatewayError => new GatewayError({ code, message: code, headers });

/** Each call: which target, at which fake time (ms since the test began). */
let calls: Array<[string, number]> = [];
let released: string[] = [];
let start = 0;
type Script = (target: RouteTarget, signal: AbortSignal, call: number) => Promise<string>;
const routeWith = (targets: readonly RouteTarget[], script: Script, options: Partial<RoutePolicy> = {}) =>
  route(
    'alias',
    targets,
    policy(options),
    (target, signal) => {
      calls.push([target.providerName, Date.now() - start]);
      return script(target, signal, calls.length);
    },
    new AbortController().signal,
    deps,
    (value) => released.push(value),
  );
const outcomeOf = (promise: Promise<{ value: string; target: RouteTarget }>) =>
  promise.then(
    (routed) => ({ served: routed.target.providerName, value: routed.value }),
    (err: unknown) => ({ error: err instanceof GatewayError ? err.code : err }),
  );
/** Lets pending promise chains run (setImmediate is not faked), then moves the fake clock by `ms`, firing timers. */
async function advance(ms: number): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await jest.advanceTimersByTimeAsync(ms);
}
const after = (ms: number, value: string): Promise<string> => new Promise((resolve) => setTimeout(() => resolve(value), ms));
const ofType = <T extends RouteEvent['type']>(type: T) =>
  events.filter((event): event is Extract<RouteEvent, { type: T }> => event.type === type);

beforeEach(() => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  start = Date.now();
  resetBreakers();
  clock = 1_000_000;
  random = 0.5;
  events = [];
  calls = [];
  released = [];
});

afterEach(() => {
  jest.useRealTimers();
});

describe('retry timing', () => {
  // Ceilings 100, 150 (capped from 200), 150: the wait is floor(random × ceiling), strictly below the ceiling.
  it.each([
    [0.01, [1, 1, 1]],
    [0.5, [50, 75, 75]],
    [0.999, [99, 149, 149]],
  ])('random %p: waits %p before the tries after the first, and not a millisecond less', async (value, delays) => {
    random = value;
    const retry = { attempts: 4, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(routeWith([A], (_, __, call) => (call < 4 ? Promise.reject(failure('upstream_error')) : Promise.resolve('ok')), { retry }));
    let at = 0;
    await advance(0);
    for (const [index, delay] of delays.entries()) {
      await advance(delay - 1);
      expect(calls).toHaveLength(index + 1);
      await advance(1);
      at += delay;
      expect(calls).toHaveLength(index + 2);
      expect(calls[index + 1]).toEqual(['a', at]);
    }
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry').map((event) => event.delayMs)).toEqual(delays);
  });

  it('random 0: the retries follow at once', async () => {
    random = 0;
    const retry = { attempts: 4, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(routeWith([A], (_, __, call) => (call < 4 ? Promise.reject(failure('upstream_error')) : Promise.resolve('ok')), { retry }));
    // (Fake timers run a 0 ms timeout set during a tick 1 ms later: the 3 ms are theirs, not the router's.)
    await advance(3);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry').map((event) => event.delayMs)).toEqual([0, 0, 0]);
  });

  it('a retry waits for the provider\'s Retry-After (seconds), whatever the random source says', async () => {
    random = 0;
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 5000 };
    const limited = failure('upstream_rate_limited', { 'Retry-After': '2' });
    const pending = outcomeOf(routeWith([A], (_, __, call) => (call === 1 ? Promise.reject(limited) : Promise.resolve('ok')), { retry }));
    await advance(1999);
    expect(calls).toEqual([['a', 0]]);
    await advance(1);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(calls).toEqual([['a', 0], ['a', 2000]]);
  });

  it('a Retry-After date is read against the router\'s injected clock', async () => {
    clock = Date.UTC(2026, 0, 1, 0, 0, 0);
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 5000 };
    const limited = failure('upstream_overloaded', { 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' });
    const pending = outcomeOf(routeWith([A], (_, __, call) => (call === 1 ? Promise.reject(limited) : Promise.resolve('ok')), { retry }));
    await advance(3000);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry')).toEqual([{ type: 'retry', target: 'a/m', error: 'upstream_overloaded', delayMs: 3000 }]);
    expect(calls).toEqual([['a', 0], ['a', 3000]]);
  });

  it('Retry-After is honoured up to maxRetryAfterMs; beyond it the target is given up without waiting', async () => {
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const atCap = outcomeOf(
      routeWith([A], (_, __, call) => (call === 1 ? Promise.reject(failure('upstream_error', { 'Retry-After-Ms': '1000' })) : Promise.resolve('ok')), { retry }),
    );
    await advance(1000);
    expect(await atCap).toEqual({ served: 'a', value: 'ok' });
    expect(calls).toEqual([['a', 0], ['a', 1000]]);

    calls = [];
    events = [];
    const beyond = outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_error', { 'Retry-After-Ms': '1001' })), { retry }));
    await advance(0);
    expect(await beyond).toEqual({ error: 'upstream_error' });
    expect(calls).toHaveLength(1);
    expect(events).toEqual([{ type: 'fallback', from: 'a/m', error: 'upstream_error' }]);
  });

  it('a failover code moves to the next target at once, without a retry', async () => {
    const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(routeWith([A, B], (target) => (target === A ? Promise.reject(failure('upstream_model_not_found')) : Promise.resolve('from b')), { retry }));
    await advance(0);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(calls).toEqual([['a', 0], ['b', 0]]);
    expect(ofType('retry')).toEqual([]);
  });
});

describe('weighted order by the random source', () => {
  // Weights 1, 2, 1 (total 4): random × 4 picks the first target; the others follow in configured order.
  const weighted: RouteTarget[] = [A, { ...B, weight: 2 }, C];
  it.each([
    [0, ['a', 'b', 'c']],
    [0.2499, ['a', 'b', 'c']],
    [0.25, ['b', 'a', 'c']],
    [0.7499, ['b', 'a', 'c']],
    [0.75, ['c', 'a', 'b']],
    [0.9999, ['c', 'a', 'b']],
  ])('random %p → %p', async (value, order) => {
    random = value;
    const outcome = await outcomeOf(routeWith(weighted, () => Promise.reject(failure('provider_authentication_failed')), { strategy: 'weighted' }));
    expect(outcome).toEqual({ error: 'provider_authentication_failed' });
    expect(calls.map(([name]) => name)).toEqual(order);
  });

  it('fallback keeps the configured order whatever the random source says', async () => {
    random = 0.9999;
    await outcomeOf(routeWith(weighted, () => Promise.reject(failure('provider_authentication_failed'))));
    expect(calls.map(([name]) => name)).toEqual(['a', 'b', 'c']);
  });
});

describe('hedging', () => {
  it('the hedge starts after afterMs on the next target; the first answer wins, the loser is aborted and its late value released', async () => {
    let signalOfA: AbortSignal | undefined;
    let answerA: (value: string) => void = () => undefined;
    const pending = outcomeOf(
      routeWith(
        [A, B],
        (target, signal) => {
          if (target === B) return after(50, 'from b');
          signalOfA = signal;
          return new Promise<string>((resolve) => (answerA = resolve));
        },
        { hedge: { afterMs: 100 } },
      ),
    );
    await advance(99);
    expect(calls).toEqual([['a', 0]]);
    expect(ofType('hedge')).toEqual([]);
    await advance(1);
    expect(calls).toEqual([['a', 0], ['b', 100]]);
    expect(ofType('hedge')).toEqual([{ type: 'hedge', primary: 'a/m', hedge: 'b/m' }]);
    await advance(50);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(signalOfA?.aborted).toBe(true);
    expect(signalOfA?.reason).toEqual(new TryAbort('lost'));
    expect(released).toEqual([]);
    answerA('late from a');
    await advance(0);
    expect(released).toEqual(['late from a']);
  });

  it('the primary answering before afterMs starts no hedge', async () => {
    const pending = outcomeOf(routeWith([A, B], (target) => after(99, `from ${target.providerName}`), { hedge: { afterMs: 100 } }));
    await advance(99);
    expect(await pending).toEqual({ served: 'a', value: 'from a' });
    await advance(1000);
    expect(calls).toEqual([['a', 0]]);
    expect(ofType('hedge')).toEqual([]);
  });

  it('the primary winning aborts the hedge', async () => {
    let signalOfB: AbortSignal | undefined;
    const pending = outcomeOf(
      routeWith(
        [A, B],
        (target, signal) => {
          if (target === A) return after(150, 'from a');
          signalOfB = signal;
          return new Promise<string>(() => undefined);
        },
        { hedge: { afterMs: 100 } },
      ),
    );
    await advance(150);
    expect(await pending).toEqual({ served: 'a', value: 'from a' });
    expect(calls).toEqual([['a', 0], ['b', 100]]);
    expect(signalOfB?.reason).toEqual(new TryAbort('lost'));
  });

  it('both hedged tries failing moves past both targets, without retrying either', async () => {
    const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith(
        [A, B, C],
        (target) => {
          if (target === C) return Promise.resolve('from c');
          return after(target === A ? 120 : 10, '').then(() => Promise.reject(failure('upstream_error')));
        },
        { hedge: { afterMs: 100 }, retry },
      ),
    );
    await advance(120);
    expect(await pending).toEqual({ served: 'c', value: 'from c' });
    expect(calls).toEqual([['a', 0], ['b', 100], ['c', 120]]);
    expect(ofType('retry')).toEqual([]);
  });
});

describe('breaker transitions by the injected clock', () => {
  const breaker = { failures: 2, window: 20, cooldownMs: 1000 };
  const stateOfA = () => breakerFor('a/m', breaker).current(clock);
  const fail = () => outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_error')), { breaker }));
  const serve = () => outcomeOf(routeWith([A], async () => 'ok', { breaker }));

  it('closed → open after `failures` failures → half-open after the cooldown → a failed probe reopens it', async () => {
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(stateOfA()).toBe('closed');
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(stateOfA()).toBe('open');
    expect(ofType('breaker-open')).toEqual([{ type: 'breaker-open', target: 'a/m' }]);

    clock += 999;
    expect(await serve()).toEqual({ error: 'no_target_available' });
    expect(ofType('breaker-skip')).toEqual([{ type: 'breaker-skip', target: 'a/m' }]);
    expect(calls).toHaveLength(2);

    clock += 1;
    expect(stateOfA()).toBe('half-open');
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(calls).toHaveLength(3);
    expect(stateOfA()).toBe('open');
    expect(ofType('breaker-open')).toHaveLength(2);
    // The cooldown starts again from the probe's failure.
    clock += 999;
    expect(await serve()).toEqual({ error: 'no_target_available' });
    expect(calls).toHaveLength(3);
  });

  it('a successful probe closes it, and closed it needs `failures` failures again to open', async () => {
    await fail();
    await fail();
    clock += 1000;
    expect(stateOfA()).toBe('half-open');
    expect(await serve()).toEqual({ served: 'a', value: 'ok' });
    expect(stateOfA()).toBe('closed');
    await fail();
    expect(stateOfA()).toBe('closed');
    expect(await serve()).toEqual({ served: 'a', value: 'ok' });
    await fail();
    expect(stateOfA()).toBe('closed');
    await fail();
    expect(stateOfA()).toBe('open');
    expect(ofType('breaker-open')).toHaveLength(2);
  });

  it('a failure the request caused never moves it', async () => {
    for (let i = 0; i < 5; i++) {
      expect(await outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_bad_request')), { breaker }))).toEqual({ error: 'upstream_bad_request' });
    }
    expect(stateOfA()).toBe('closed');
    expect(ofType('breaker-open')).toEqual([]);
  });

  it('a retry is not sent while its own failure opened the breaker: the router falls back instead', async () => {
    const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith([A, B], (target) => (target === A ? Promise.reject(failure('upstream_error')) : Promise.resolve('from b')), { breaker, retry }),
    );
    await advance(1000);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(calls.map(([name]) => name)).toEqual(['a', 'a', 'b']);
    expect(events.map((event) => event.type)).toEqual(['retry', 'breaker-open', 'retry', 'breaker-skip', 'fallback']);
  });
});
