import { dynamo, tableName } from '../store/client.js';
import { KeyStore } from './key-store.js';
import { ApiGatewayUsageKeys, LocalUsageKeys, type UsageKeys } from './usage-keys.js';

let store: KeyStore | undefined;
let usage: UsageKeys | undefined;

/** The key store of this process (one per Lambda instance, built on first use). */
export function keyStore(): KeyStore {
  store ??= new KeyStore(dynamo(), tableName());
  return store;
}

/** API Gateway usage keys when the stack passed USAGE_PLAN_IDS, local ones otherwise. */
export function usageKeys(): UsageKeys {
  const planIds = process.env.USAGE_PLAN_IDS;
  usage ??= planIds
    ? new ApiGatewayUsageKeys(dynamo(), tableName(), JSON.parse(planIds) as Record<string, string>)
    : new LocalUsageKeys();
  return usage;
}

/** Forget the clients (the local server and tests rebuild them after pointing DYNAMODB_ENDPOINT elsewhere). */
export function resetKeyRuntime(): void {
  store = undefined;
  usage = undefined;
}
