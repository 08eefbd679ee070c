/**
 * The cold-start check's control: a handler module that reads the store (DescribeTable) and the provider-key secret
 * (GetSecretValue) at import, without awaiting them, through the gateway's own clients. Bundled and started like the
 * functions, the benchmark's recorder must see both calls; otherwise the recorder would not see those of a function
 * either, and the "calls at init" figures say so.
 */
import { SecretsManagerKeySource } from '../../lambdas/secrets/provider-keys.js';
import { pingStore } from '../../lambdas/store/ping.js';

void Promise.allSettled([
  pingStore(),
  new SecretsManagerKeySource(process.env.PROVIDER_SECRET_ARN ?? 'missing').keys(),
]);

export const handler = async (): Promise<{ statusCode: number; body: string }> => ({
  statusCode: 200,
  body: 'control',
});
