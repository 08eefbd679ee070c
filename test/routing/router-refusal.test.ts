import { A, B, C, failure, ofType, outcomeOf, routeWith, useRouterWorld, world } from './router-world.js';

// A target's refusal (`refused` in the error-code table: unsupported_parameter, unsupported_content,
// unsupported_image — this target cannot honour the request) ends the request with its 400 when it is the first
// failure of the request; after an earlier target failed (or was skipped by its open breaker), the router moves on,
// and with no target left the answer is the earlier failure (the outage), never the refusal.
useRouterWorld();

const refuse = () => Promise.reject(failure('unsupported_parameter'));

it('the first target refuses: its 400, no other target tried', async () => {
  const outcome = await outcomeOf(routeWith([A, B], (t) => (t === A ? refuse() : Promise.resolve('b'))));
  expect(outcome).toEqual({ error: 'unsupported_parameter' });
  expect(world.calls.map(([name]) => name)).toEqual(['a']);
});

it('A is down (500), B refuses, nothing left: the outage (502 upstream_error), not the 400', async () => {
  const outcome = await outcomeOf(
    routeWith([A, B], (t) => (t === A ? Promise.reject(failure('upstream_error')) : refuse())),
  );
  expect(outcome).toEqual({ error: 'upstream_error' });
  expect(world.calls.map(([name]) => name)).toEqual(['a', 'b']);
  expect(ofType('fallback').map((e) => [e.from, e.error])).toEqual([
    ['a/m', 'upstream_error'],
    ['b/m', 'unsupported_parameter'],
  ]);
});

it.each(['unsupported_parameter', 'unsupported_content', 'unsupported_image'] as const)(
  'A is down, B refuses with %s, C serves',
  async (code) => {
    const outcome = await outcomeOf(
      routeWith([A, B, C], (t) =>
        t === A
          ? Promise.reject(failure('upstream_unreachable'))
          : t === B
            ? Promise.reject(failure(code))
            : Promise.resolve('c'),
      ),
    );
    expect(outcome).toEqual({ served: 'c', value: 'c' });
  },
);

it("a refusal is not retried and does not count against the refusing target's breaker", async () => {
  const script = (t: typeof A) => (t === A ? Promise.reject(failure('upstream_error')) : refuse());
  for (let i = 0; i < 3; i++) {
    await outcomeOf(routeWith([A, B], script, { breaker: { failures: 1, window: 20, cooldownMs: 1000 } }));
  }
  // A opened after its first failure; B, which only refused, is still tried on every request.
  expect(world.calls.map(([name]) => name)).toEqual(['a', 'b', 'b', 'b']);
});

it("A's breaker is open (skipped), B refuses: the breakers' 503 with its Retry-After, not the 400", async () => {
  const breaker = { failures: 1, window: 20, cooldownMs: 5000 };
  await outcomeOf(routeWith([A], () => Promise.reject(failure('upstream_error')), { breaker }));
  const routed = routeWith([A, B], (t) => (t === A ? Promise.resolve('a') : refuse()), { breaker });
  const error: unknown = await routed.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toMatchObject({ code: 'no_target_available', headers: { 'Retry-After': '5' } });
});

it('A is rate limited (429 after its retries), B refuses: the 429 with its Retry-After', async () => {
  const routed = routeWith([A, B], (t) =>
    t === A ? Promise.reject(failure('upstream_rate_limited', { 'Retry-After': '30' })) : refuse(),
  );
  const error: unknown = await routed.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toMatchObject({ code: 'upstream_rate_limited', status: 429, headers: { 'Retry-After': '30' } });
});
