import { onClient } from '../store/client.js';
import { KeyStore } from './key-store.js';
import { STACK_NAME_ENV } from './stack-tag.js';
import { ApiGatewayUsageKeys, LocalUsageKeys, type UsageKeys } from './usage-keys.js';

/** The key store of this process (one per Lambda instance, built on first use, rebuilt if the client changes). */
export const keyStore = onClient((client, table) => new KeyStore(client, table));

/** API Gateway usage keys (tagged with STACK_NAME) when the stack passed USAGE_PLAN_IDS, local ones otherwise. */
export const usageKeys = onClient((client, table): UsageKeys => {
  const planIds = process.env.USAGE_PLAN_IDS;
  return planIds
    ? new ApiGatewayUsageKeys(
        client,
        table,
        JSON.parse(planIds) as Record<string, string>,
        undefined,
        process.env[STACK_NAME_ENV],
      )
    : new LocalUsageKeys();
});
