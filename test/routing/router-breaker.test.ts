import OpenAI from 'openai';
import { GatewayError } from '../../lambdas/core/errors.js';
import { toGatewayError } from '../../lambdas/providers/upstream-error.js';
// The SDKs register their error classes as they load (chat/registry.ts loads them on first use); here, at once.
import '../../lambdas/providers/openai/openai-errors.js';
import '../../lambdas/providers/anthropic/anthropic-errors.js';
import { CircuitBreaker, resetBreakers } from '../../lambdas/routing/breaker.js';
import { route, type RouteEvent, type RoutePolicy, type RouterDeps } from '../../lambdas/routing/router.js';

// The router's breakers with the router's injected clock (deps.now): a half-open breaker's probe must end however
// its try ends, or the target stays skipped (503 no_target_available with no upstream call) until a restart.
interface Target {
  readonly providerName: string;
  readonly model: string;
}
const A: Target = { providerName: 'a', model: 'm' };
const B: Target = { providerName: 'b', model: 'm' };

let clock = 0;
let events: RouteEvent[] = [];
const deps: RouterDeps = { now: () => clock, random: () => 0.5, onEvent: (event) => events.push(event) };
const policy = (extra: Partial<RoutePolicy> = {}): RoutePolicy => ({
  strategy: 'fallback',
  retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 },
  timeouts: { requestMs: 5000, connectMs: 1000, firstByteMs: 2000, idleMs: 1000 },
  breaker: { failures: 1, window: 20, cooldownMs: 1000 },
  ...extra,
});
const upstreamError = (): GatewayError => new GatewayError({ message: 'down', code: 'upstream_error' });
const badRequest = (): GatewayError => new GatewayError({ message: 'bad', code: 'upstream_bad_request' });
/** A runner that waits until its try is aborted. */
const stall = (signal: AbortSignal): Promise<string> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

type Script = (target: Target, signal: AbortSignal) => Promise<string>;
const calls: string[] = [];
const routeWith = (
  targets: readonly Target[],
  script: Script,
  options: Partial<RoutePolicy> = {},
  request = new AbortController().signal,
) =>
  route(
    'alias',
    targets,
    policy(options),
    (target, signal) => {
      calls.push(target.providerName);
      return script(target, signal);
    },
    request,
    deps,
    () => undefined,
  );
const outcomeOf = (promise: Promise<{ value: string; target: Target }>) =>
  promise.then(
    (routed) => ({ served: routed.target.providerName, value: routed.value }),
    (err: unknown) => ({ error: err instanceof GatewayError ? err.code : err }),
  );

/** Opens `target`'s breaker (one failure) and moves the clock past its cooldown: the next try is its probe. */
async function halfOpen(target: Target): Promise<void> {
  await outcomeOf(routeWith([target], () => Promise.reject(upstreamError())));
  clock += 1000;
  calls.length = 0;
  events = [];
}

beforeEach(() => {
  resetBreakers();
  clock = 1_000_000;
  events = [];
  calls.length = 0;
});

describe('a half-open probe is released however its try ends', () => {
  it('the probe gets a 400 (the request is at fault): the next request probes and is served', async () => {
    await halfOpen(A);
    expect(await outcomeOf(routeWith([A], () => Promise.reject(badRequest())))).toEqual({
      error: 'upstream_bad_request',
    });
    expect(await outcomeOf(routeWith([A], async () => 'ok'))).toEqual({ served: 'a', value: 'ok' });
    expect(calls).toEqual(['a', 'a']);
  });

  it('a request whose encoding failed does not count against the target and is not retried', async () => {
    const notEncodable = () => Promise.reject(toGatewayError(new RangeError('Maximum call stack size exceeded'), 'a'));
    for (let i = 0; i < 3; i++) {
      expect(await outcomeOf(routeWith([A, B], notEncodable, { retry: { ...policy().retry, attempts: 3 } }))).toEqual({
        error: 'request_not_encodable',
      });
    }
    expect(calls).toEqual(['a', 'a', 'a']);
    expect(await outcomeOf(routeWith([A], async () => 'ok'))).toEqual({ served: 'a', value: 'ok' });
  });

  it('the probe is aborted by the request deadline or the client leaving: the next request probes', async () => {
    for (const reason of [new Error('deadline'), new Error('client gone')]) {
      await halfOpen(A);
      const request = new AbortController();
      const pending = outcomeOf(routeWith([A], (_, signal) => stall(signal), {}, request.signal));
      await new Promise((resolve) => setImmediate(resolve));
      request.abort(reason);
      expect(await pending).toEqual({ error: reason });
      expect(await outcomeOf(routeWith([A], async () => 'ok'))).toEqual({ served: 'a', value: 'ok' });
    }
  });

  it('the probe loses a hedge: the next request probes the target again', async () => {
    await halfOpen(A);
    const hedge = { hedge: { afterMs: 20 } };
    const first = await outcomeOf(
      routeWith([A, B], (target, signal) => (target === A ? stall(signal) : Promise.resolve('from b')), hedge),
    );
    expect(first).toEqual({ served: 'b', value: 'from b' });
    expect(await outcomeOf(routeWith([A, B], async (target) => `from ${target.providerName}`, hedge))).toEqual({
      served: 'a',
      value: 'from a',
    });
  });

  it('the hedge-target lookup does not take a probe it does not use', async () => {
    await halfOpen(B);
    // A answers before the hedge would start: B's probe must still be free, for this alias and any other using B.
    expect(await outcomeOf(routeWith([A, B], async () => 'from a', { hedge: { afterMs: 1000 } }))).toEqual({
      served: 'a',
      value: 'from a',
    });
    expect(await outcomeOf(routeWith([B], async () => 'from b'))).toEqual({ served: 'b', value: 'from b' });
    expect(calls).toEqual(['a', 'b']);
  });

  it('a probe in flight keeps other requests off the target, and its end frees it', async () => {
    await halfOpen(A);
    let finish: (value: string) => void = () => undefined;
    const probe = outcomeOf(routeWith([A], () => new Promise<string>((resolve) => (finish = resolve))));
    expect(await outcomeOf(routeWith([A], async () => 'second'))).toEqual({ error: 'no_target_available' });
    finish('probe');
    expect(await probe).toEqual({ served: 'a', value: 'probe' });
    expect(await outcomeOf(routeWith([A], async () => 'third'))).toEqual({ served: 'a', value: 'third' });
  });
});

describe('Retry-After', () => {
  it("a breaker's 503 says when its probe comes, by the router's clock (seconds, rounded up, at least 1)", async () => {
    const cooldown = { breaker: { failures: 1, window: 20, cooldownMs: 30_000 } };
    await outcomeOf(routeWith([A], () => Promise.reject(upstreamError()), cooldown));
    clock += 12_300;
    const refused = await routeWith([A], async () => 'never', cooldown).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).status).toBe(503);
    expect((refused as GatewayError).headers['Retry-After']).toBe('18');
    clock += 17_600;
    const late = (await routeWith([A], async () => 'never', cooldown).catch((err: unknown) => err)) as GatewayError;
    expect(late.headers['Retry-After']).toBe('1');
    expect(calls).toEqual(['a']);
  });

  it.each([503, 529])('a Retry-After on an upstream %i is honoured like on a 429', async (status) => {
    const sdkError = OpenAI.APIError.generate(
      status,
      { error: { message: 'busy' } },
      undefined,
      new Headers({ 'retry-after-ms': '30' }),
    );
    let tries = 0;
    const served = await outcomeOf(
      routeWith([A], () => (tries++ === 0 ? Promise.reject(toGatewayError(sdkError, 'a')) : Promise.resolve('ok')), {
        retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 },
        breaker: { failures: 10, window: 20, cooldownMs: 1000 },
      }),
    );
    expect(served).toEqual({ served: 'a', value: 'ok' });
    expect(events.filter((event) => event.type === 'retry')).toEqual([expect.objectContaining({ delayMs: 30 })]);
  });

  it('a Retry-After on an upstream 503 beyond the cap moves to the next target at once', async () => {
    const sdkError = OpenAI.APIError.generate(
      503,
      { error: { message: 'busy' } },
      undefined,
      new Headers({ 'retry-after': '60' }),
    );
    const served = await outcomeOf(
      routeWith(
        [A, B],
        (target) => (target === A ? Promise.reject(toGatewayError(sdkError, 'a')) : Promise.resolve('from b')),
        {
          retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1000 },
          breaker: { failures: 10, window: 20, cooldownMs: 1000 },
        },
      ),
    );
    expect(served).toEqual({ served: 'b', value: 'from b' });
    expect(calls).toEqual(['a', 'b']);
  });
});

describe('errorRate breaker', () => {
  it('closing resets its window: 4 successes then 1 failure do not reopen it', () => {
    const breaker = new CircuitBreaker({ failures: 1000, window: 10, errorRate: 0.5, cooldownMs: 1000 });
    for (let i = 0; i < 5; i++) breaker.success();
    let opened = false;
    for (let i = 0; i < 5; i++) opened = breaker.failure(0);
    expect(opened).toBe(true);
    expect(breaker.allow(1000)).toBe(true);
    breaker.success();
    for (let i = 0; i < 4; i++) breaker.success();
    expect(breaker.failure(1001)).toBe(false);
    expect(breaker.current(1001)).toBe('closed');
  });
});
