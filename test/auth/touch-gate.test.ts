import { SharedLookups } from '../../lambdas/auth/shared-lookups.js';
import { TouchGate } from '../../lambdas/auth/touch-gate.js';

// What keeps a burst of one key from costing one store call per request in the authorizer.

it('TouchGate: one lastUsedAt stamp per key and resolution window; a failed stamp may be claimed again', () => {
  const gate = new TouchGate(60_000, 2);
  expect(gate.claim('a', 0)).toBe(true);
  expect(gate.claim('a', 59_999)).toBe(false);
  expect(gate.claim('b', 10)).toBe(true);
  expect(gate.claim('a', 60_000)).toBe(true);
  gate.release('a', 60_000);
  expect(gate.claim('a', 60_001)).toBe(true);
  // Bounded: a third key pushes out the oldest (b), which may then be claimed again.
  expect(gate.claim('c', 60_002)).toBe(true);
  expect(gate.claim('b', 60_003)).toBe(true);
});

it('SharedLookups: concurrent lookups of one key share one call; a settled lookup is not kept', async () => {
  const lookups = new SharedLookups<string>();
  let calls = 0;
  let finish!: (value: string) => void;
  const lookup = () => {
    calls += 1;
    return new Promise<string>((resolve) => {
      finish = resolve;
    });
  };
  const first = lookups.run('k', lookup);
  const second = lookups.run('k', lookup);
  expect(calls).toBe(1);
  finish('record');
  expect(await Promise.all([first, second])).toEqual(['record', 'record']);
  expect(lookups.size).toBe(0);
  const third = lookups.run('k', lookup);
  expect(calls).toBe(2);
  finish('again');
  expect(await third).toBe('again');
});
