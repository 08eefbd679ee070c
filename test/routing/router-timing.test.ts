import type { RouteTarget } from '../../lambdas/routing/router.js';
import { A, B, C, advance, failure, ofType, outcomeOf, routeWith, useRouterWorld, world } from './router-world.js';

// The router's retry timing and target order by its injected clock and random source, on fake timers. backoffMs and
// targetOrder alone are in policy-parts.test.ts.
useRouterWorld();

describe('retry timing', () => {
  // Ceilings 100, 150 (capped from 200), 150: the wait is floor(random × ceiling), strictly below the ceiling.
  it.each([
    [0.01, [1, 1, 1]],
    [0.5, [50, 75, 75]],
    [0.999, [99, 149, 149]],
  ])('random %p: waits %p before the tries after the first, and not a millisecond less', async (value, delays) => {
    world.random = value;
    const retry = { attempts: 4, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith([A], (_, __, call) => (call < 4 ? Promise.reject(failure('upstream_error')) : Promise.resolve('ok')), {
        retry,
      }),
    );
    let at = 0;
    await advance(0);
    for (const [index, delay] of delays.entries()) {
      await advance(delay - 1);
      expect(world.calls).toHaveLength(index + 1);
      await advance(1);
      at += delay;
      expect(world.calls).toHaveLength(index + 2);
      expect(world.calls[index + 1]).toEqual(['a', at]);
    }
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry').map((event) => event.delayMs)).toEqual(delays);
  });

  it('random 0: the retries follow at once', async () => {
    world.random = 0;
    const retry = { attempts: 4, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith([A], (_, __, call) => (call < 4 ? Promise.reject(failure('upstream_error')) : Promise.resolve('ok')), {
        retry,
      }),
    );
    // (Fake timers run a 0 ms timeout set during a tick 1 ms later: the 3 ms are theirs, not the router's.)
    await advance(3);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry').map((event) => event.delayMs)).toEqual([0, 0, 0]);
  });

  it("a retry waits for the provider's Retry-After (seconds), whatever the random source says", async () => {
    world.random = 0;
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 5000 };
    const limited = failure('upstream_rate_limited', { 'Retry-After': '2' });
    const pending = outcomeOf(
      routeWith([A], (_, __, call) => (call === 1 ? Promise.reject(limited) : Promise.resolve('ok')), { retry }),
    );
    await advance(1999);
    expect(world.calls).toEqual([['a', 0]]);
    await advance(1);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(world.calls).toEqual([
      ['a', 0],
      ['a', 2000],
    ]);
  });

  it("a Retry-After date is read against the router's injected clock", async () => {
    world.clock = Date.UTC(2026, 0, 1, 0, 0, 0);
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 5000 };
    const limited = failure('upstream_overloaded', { 'Retry-After': 'Thu, 01 Jan 2026 00:00:03 GMT' });
    const pending = outcomeOf(
      routeWith([A], (_, __, call) => (call === 1 ? Promise.reject(limited) : Promise.resolve('ok')), { retry }),
    );
    await advance(3000);
    expect(await pending).toEqual({ served: 'a', value: 'ok' });
    expect(ofType('retry')).toEqual([{ type: 'retry', target: 'a/m', error: 'upstream_overloaded', delayMs: 3000 }]);
    expect(world.calls).toEqual([
      ['a', 0],
      ['a', 3000],
    ]);
  });

  it('Retry-After is honoured up to maxRetryAfterMs; beyond it the target is given up without waiting', async () => {
    const retry = { attempts: 2, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const atCap = outcomeOf(
      routeWith(
        [A],
        (_, __, call) =>
          call === 1 ? Promise.reject(failure('upstream_error', { 'Retry-After-Ms': '1000' })) : Promise.resolve('ok'),
        { retry },
      ),
    );
    await advance(1000);
    expect(await atCap).toEqual({ served: 'a', value: 'ok' });
    expect(world.calls).toEqual([
      ['a', 0],
      ['a', 1000],
    ]);

    world.calls = [];
    world.events = [];
    const beyond = outcomeOf(
      routeWith([A], () => Promise.reject(failure('upstream_error', { 'Retry-After-Ms': '1001' })), { retry }),
    );
    await advance(0);
    expect(await beyond).toEqual({ error: 'upstream_error' });
    expect(world.calls).toHaveLength(1);
    expect(world.events).toEqual([{ type: 'fallback', from: 'a/m', error: 'upstream_error' }]);
  });

  it('a failover code moves to the next target at once, without a retry', async () => {
    const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith(
        [A, B],
        (target) => (target === A ? Promise.reject(failure('upstream_model_not_found')) : Promise.resolve('from b')),
        { retry },
      ),
    );
    await advance(0);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(world.calls).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
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
    world.random = value;
    const outcome = await outcomeOf(
      routeWith(weighted, () => Promise.reject(failure('provider_authentication_failed')), { strategy: 'weighted' }),
    );
    expect(outcome).toEqual({ error: 'provider_authentication_failed' });
    expect(world.calls.map(([name]) => name)).toEqual(order);
  });

  it('fallback keeps the configured order whatever the random source says', async () => {
    world.random = 0.9999;
    await outcomeOf(routeWith(weighted, () => Promise.reject(failure('provider_authentication_failed'))));
    expect(world.calls.map(([name]) => name)).toEqual(['a', 'b', 'c']);
  });
});
