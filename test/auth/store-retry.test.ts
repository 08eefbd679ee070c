import {
  AUTH_STORE_MAX_TRIES,
  isTransientStoreError,
  StoreUnavailableError,
  withStoreRetry,
  type RetryClock,
} from '../../lambdas/auth/store-retry.js';

// The authorizer's key lookup retried on transient store errors within a budget (a failed authorizer is a 500 at
// API Gateway), on an injected clock.

const fault = (name: string, kind?: 'client' | 'server'): Error =>
  Object.assign(new Error(name), { name, ...(kind === undefined ? {} : { $fault: kind }) });

function fakeClock(): RetryClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

it('tells transient store errors (throttling, server faults, lost calls) from client faults', () => {
  expect(isTransientStoreError(fault('ProvisionedThroughputExceededException', 'client'))).toBe(true);
  expect(isTransientStoreError(fault('ThrottlingException', 'client'))).toBe(true);
  expect(isTransientStoreError(fault('InternalServerError', 'server'))).toBe(true);
  expect(isTransientStoreError(fault('TimeoutError'))).toBe(true);
  expect(isTransientStoreError(fault('ValidationException', 'client'))).toBe(false);
  expect(isTransientStoreError(fault('ResourceNotFoundException', 'client'))).toBe(false);
  expect(isTransientStoreError('x')).toBe(false);
});

it('retries a transient error until a try succeeds', async () => {
  const clock = fakeClock();
  let calls = 0;
  const value = await withStoreRetry(
    async () => {
      calls += 1;
      if (calls < 3) throw fault('InternalServerError', 'server');
      return 'record';
    },
    4_000,
    clock,
  );
  expect(value).toBe('record');
  expect(calls).toBe(3);
  expect(clock.slept).toHaveLength(2);
});

it('gives up after the most tries or the budget with StoreUnavailableError; a client fault at once', async () => {
  let calls = 0;
  const failing = async (): Promise<never> => {
    calls += 1;
    throw fault('ThrottlingException', 'client');
  };
  await expect(withStoreRetry(failing, 60_000, fakeClock())).rejects.toBeInstanceOf(StoreUnavailableError);
  expect(calls).toBe(AUTH_STORE_MAX_TRIES);
  calls = 0;
  await expect(withStoreRetry(failing, 0, fakeClock())).rejects.toBeInstanceOf(StoreUnavailableError);
  expect(calls).toBe(1);
  calls = 0;
  const invalid = async (): Promise<never> => {
    calls += 1;
    throw fault('ValidationException', 'client');
  };
  await expect(withStoreRetry(invalid, 60_000, fakeClock())).rejects.toThrow('ValidationException');
  expect(calls).toBe(1);
});
