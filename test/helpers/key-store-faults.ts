import { startStoreInterposer } from './store-interposer.js';

/**
 * A DynamoDB endpoint in front of another (the embedded store) that passes every call through, counting the key
 * store's lastUsedAt stamps (UpdateItem on a `KEY#` item), and once armed fails every attempt of the first `count`
 * key lookups (GetItem of a `KEY#` item) with a 500 InternalServerError: the SDK's own retries of one lookup share its
 * invocation id, so that lookup fails as a whole and only a new lookup gets through — a store that stalls for a moment.
 */
export interface KeyStoreFaults {
  readonly url: string;
  /** lastUsedAt stamps that reached the store. */
  readonly touches: () => number;
  /** Key lookups failed so far (each with all its attempts). */
  readonly failedLookups: () => number;
  /** Fails the next `count` key lookups, every attempt of each. */
  failLookups(count: number): void;
  close(): Promise<void>;
}

const GET = 'DynamoDB_20120810.GetItem';
const UPDATE = 'DynamoDB_20120810.UpdateItem';
const KEY_ITEM = /"pk":\{"S":"KEY#/;

export async function startKeyStoreFaults(target: string): Promise<KeyStoreFaults> {
  let touches = 0;
  let toFail = 0;
  const failing = new Set<string>();
  const interposer = await startStoreInterposer(target, (call) => {
    const keyItem = KEY_ITEM.test(call.body.toString('utf8'));
    if (call.target === UPDATE && keyItem && call.body.includes('lastUsedAt')) touches += 1;
    if (call.target === GET && keyItem) {
      const invocation = String(call.req.headers['amz-sdk-invocation-id'] ?? '');
      if (failing.has(invocation)) return call.fail();
      if (toFail > 0) {
        toFail -= 1;
        failing.add(invocation);
        return call.fail();
      }
    }
    call.forward();
  });
  return {
    url: interposer.url,
    touches: () => touches,
    failedLookups: () => failing.size,
    failLookups: (count) => {
      toFail = count;
    },
    close: () => interposer.close(),
  };
}
