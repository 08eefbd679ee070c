import { breakerFor } from '../../lambdas/routing/breaker.js';
import { TryAbort } from '../../lambdas/routing/try.js';
import {
  A,
  B,
  C,
  advance,
  after,
  failure,
  ofType,
  outcomeOf,
  routeWith,
  useRouterWorld,
  world,
} from './router-world.js';

// Hedging and breaker transitions by the router's injected clock, on fake timers. Breaker probes and their release
// are in router-breaker.test.ts.
useRouterWorld();

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
    expect(world.calls).toEqual([['a', 0]]);
    expect(ofType('hedge')).toEqual([]);
    await advance(1);
    expect(world.calls).toEqual([
      ['a', 0],
      ['b', 100],
    ]);
    expect(ofType('hedge')).toEqual([{ type: 'hedge', primary: 'a/m', hedge: 'b/m' }]);
    await advance(50);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(signalOfA?.aborted).toBe(true);
    expect(signalOfA?.reason).toEqual(new TryAbort('lost'));
    expect(world.released).toEqual([]);
    answerA('late from a');
    await advance(0);
    expect(world.released).toEqual(['late from a']);
  });

  it('the primary answering before afterMs starts no hedge', async () => {
    const pending = outcomeOf(
      routeWith([A, B], (target) => after(99, `from ${target.providerName}`), { hedge: { afterMs: 100 } }),
    );
    await advance(99);
    expect(await pending).toEqual({ served: 'a', value: 'from a' });
    await advance(1000);
    expect(world.calls).toEqual([['a', 0]]);
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
    expect(world.calls).toEqual([
      ['a', 0],
      ['b', 100],
    ]);
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
    expect(world.calls).toEqual([
      ['a', 0],
      ['b', 100],
      ['c', 120],
    ]);
    expect(ofType('retry')).toEqual([]);
  });
});

describe('breaker transitions by the injected clock', () => {
  const breaker = { failures: 2, window: 20, cooldownMs: 1000 };
  const stateOfA = () => breakerFor('a/m', breaker).current(world.clock);
  const fail = () => outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_error')), { breaker }));
  const serve = () => outcomeOf(routeWith([A], async () => 'ok', { breaker }));

  it('closed → open after `failures` failures → half-open after the cooldown → a failed probe reopens it', async () => {
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(stateOfA()).toBe('closed');
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(stateOfA()).toBe('open');
    expect(ofType('breaker-open')).toEqual([{ type: 'breaker-open', target: 'a/m' }]);

    world.clock += 999;
    expect(await serve()).toEqual({ error: 'no_target_available' });
    expect(ofType('breaker-skip')).toEqual([{ type: 'breaker-skip', target: 'a/m' }]);
    expect(world.calls).toHaveLength(2);

    world.clock += 1;
    expect(stateOfA()).toBe('half-open');
    expect(await fail()).toEqual({ error: 'upstream_error' });
    expect(world.calls).toHaveLength(3);
    expect(stateOfA()).toBe('open');
    expect(ofType('breaker-open')).toHaveLength(2);
    // The cooldown starts again from the probe's failure.
    world.clock += 999;
    expect(await serve()).toEqual({ error: 'no_target_available' });
    expect(world.calls).toHaveLength(3);
  });

  it('a successful probe closes it, and closed it needs `failures` failures again to open', async () => {
    await fail();
    await fail();
    world.clock += 1000;
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
      expect(
        await outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_bad_request')), { breaker })),
      ).toEqual({ error: 'upstream_bad_request' });
    }
    expect(stateOfA()).toBe('closed');
    expect(ofType('breaker-open')).toEqual([]);
  });

  it('a retry is not sent while its own failure opened the breaker: the router falls back instead', async () => {
    const retry = { attempts: 3, baseDelayMs: 100, maxDelayMs: 150, maxRetryAfterMs: 1000 };
    const pending = outcomeOf(
      routeWith(
        [A, B],
        (target) => (target === A ? Promise.reject(failure('upstream_error')) : Promise.resolve('from b')),
        { breaker, retry },
      ),
    );
    await advance(1000);
    expect(await pending).toEqual({ served: 'b', value: 'from b' });
    expect(world.calls.map(([name]) => name)).toEqual(['a', 'a', 'b']);
    expect(world.events.map((event) => event.type)).toEqual([
      'retry',
      'breaker-open',
      'retry',
      'breaker-skip',
      'fallback',
    ]);
  });
});
