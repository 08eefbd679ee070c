/** How long the authorizer keeps retrying a failed key lookup, well inside its function's timeout. */
export const AUTH_STORE_RETRY_BUDGET_MS = 4_000;
/** The most lookups one authorization makes (the DynamoDB client retries each itself, maxAttempts). */
export const AUTH_STORE_MAX_TRIES = 4;

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);

/**
 * A store error a later try may not meet: throttling, a server fault, a timeout or a lost connection. A client fault
 * (validation, access denied, a missing table) fails the same way every time.
 */
export function isTransientStoreError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (THROTTLING.has(err.name)) return true;
  const fault = (err as { $fault?: unknown }).$fault;
  if (fault === 'server') return true;
  if (fault === 'client') return false;
  // No fault: the call never got an answer (timeout, reset, refused).
  return true;
}

/**
 * The key store stayed unavailable through the authorizer's retries. API Gateway answers any authorizer error with a
 * 500; the local edge answers this one (and a timeout) with a 503 and Retry-After, as an overloaded store.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';

  constructor(cause: unknown) {
    super('The key store is unavailable; retry the request.', { cause });
  }
}

export interface RetryClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const realClock: RetryClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * `call` retried on transient store errors, with a growing pause, while the next try can start within `budgetMs`
 * and `AUTH_STORE_MAX_TRIES` is not reached, then a StoreUnavailableError; any other error at once. The authorizer runs its key lookup here: a
 * store that throttles or stalls for a moment costs a short wait instead of a failed authorization (which API
 * Gateway answers with a 500).
 */
export async function withStoreRetry<T>(
  call: () => Promise<T>,
  budgetMs: number = AUTH_STORE_RETRY_BUDGET_MS,
  clock: RetryClock = realClock,
): Promise<T> {
  const deadline = clock.now() + budgetMs;
  for (let tries = 1; ; tries += 1) {
    try {
      return await call();
    } catch (err) {
      const pause = 25 * 2 ** (tries - 1) * (0.5 + Math.random() / 2);
      if (!isTransientStoreError(err)) throw err;
      if (tries >= AUTH_STORE_MAX_TRIES || clock.now() + pause >= deadline) throw new StoreUnavailableError(err);
      await clock.sleep(pause);
    }
  }
}
