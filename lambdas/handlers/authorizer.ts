import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authenticate, presentedKey } from '../auth/authenticate.js';
import { DecisionCache } from '../auth/decision-cache.js';
import { countDenial } from '../auth/denial-metric.js';
import { keyIntakeAt, type KeyIntake } from '../auth/key-intake.js';
import { toAuthorizerContext } from '../auth/principal.js';
import { SharedLookups } from '../auth/shared-lookups.js';
import { AUTH_STORE_RETRY_BUDGET_MS, withStoreRetry } from '../auth/store-retry.js';
import { TouchGate } from '../auth/touch-gate.js';
import { prepareConfig, requireConfig } from '../config/current.js';
import { requestLog } from '../core/request-log.js';
import { header } from '../core/http.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../core/request-id.js';
import { hashKey } from '../keys/key-format.js';
import { isUsable, type KeyRecord } from '../keys/key-record.js';
import { keyStore } from '../keys/runtime.js';

/**
 * API Gateway REQUEST authorizer, behind two authorizers of the stack (lib/key-authorizer.ts), the route telling
 * which key headers count (lambdas/auth/key-intake.ts):
 *
 * - `bearer` routes: API Gateway caches the decision per Authorization header for auth.cacheTtlSeconds and reuses it
 *   for every method of that authorizer; the key is read from Authorization only.
 * - `bearer-or-x-api-key` routes: API Gateway does not cache, so this function is called for every request; it
 *   remembers allowed keys per key hash for auth.cacheTtlSeconds itself (DecisionCache).
 *
 * Allows a usable gateway key for the whole stage (scopes and aliases are checked per endpoint by the functions),
 * passes tenant, key id, plan, scopes and models on as context, and names the tenant's usage-plan key so API
 * Gateway throttles by plan. Anything else is "Unauthorized" (401), the same for every reason, and counted as a
 * denial (AuthorizerDenials) so the failures alarm can tell it from a crash.
 */
function stageWildcard(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*/*`;
}

/** Time left to the function's timeout that the key lookup's retries never use (the answer must still go out). */
const RETRY_RESERVE_MS = 1_000;

let decisions: DecisionCache | undefined;
const touches = new TouchGate();
const lookups = new SharedLookups<KeyRecord | undefined>();
let decisionsTtlMs = -1;

/** This instance's decision cache, rebuilt when the TTL changes (the local server may load another configuration). */
function decisionCache(ttlMs: number): DecisionCache {
  if (decisions === undefined || decisionsTtlMs !== ttlMs) {
    decisions = new DecisionCache(ttlMs);
    decisionsTtlMs = ttlMs;
  }
  return decisions;
}

/**
 * API Gateway's time of the request (ms), the clock the decision cache runs on; the local edge passes its own clock
 * here, as API Gateway passes its.
 */
const requestTime = (event: APIGatewayRequestAuthorizerEvent): number => {
  const epoch = event.requestContext.requestTimeEpoch;
  return typeof epoch === 'number' && Number.isFinite(epoch) ? epoch : Date.now();
};

/**
 * The stored key `presented` authenticates as. On `bearer` routes API Gateway caches the answer, so the store is
 * always asked; on the others this instance's DecisionCache answers first, on API Gateway's request time `at`, and the
 * cached record must still be usable `now` (expiry, rotation grace).
 */
async function keyRecordOf(
  presented: string | undefined,
  intake: KeyIntake,
  ttlSeconds: number,
  at: number,
  now: Date,
  retryBudgetMs: number,
): Promise<{ record: KeyRecord | undefined; cached: boolean }> {
  // A transient store error (throttling, a stalled or lost call) is retried within the budget, not thrown at once.
  const store = {
    findByHash: (hash: string) =>
      lookups.run(hash, () => withStoreRetry(() => keyStore().findByHash(hash), retryBudgetMs)),
  };
  if (intake === 'bearer' || presented === undefined)
    return { record: await authenticate(presented, store, now), cached: false };
  const cache = decisionCache(ttlSeconds * 1000);
  const hash = hashKey(presented);
  const hit = cache.get(hash, at);
  if (hit !== undefined && isUsable(hit, now)) return { record: hit, cached: true };
  const record = await authenticate(presented, store, now);
  if (record !== undefined) cache.set(hash, record, at);
  return { record, cached: false };
}

export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>().handler(
  async (event, context) => {
    const startedAt = Date.now();
    const headers = event.headers;
    const log = requestLog(
      resolveRequestId(header({ headers }, REQUEST_ID_HEADER), event.requestContext.requestId),
      event.requestContext.requestId,
    );
    // A broken configuration fails closed (an authorizer failure, 500), never with a wider intake than configured.
    await prepareConfig();
    const ttlSeconds = requireConfig().auth.cacheTtlSeconds;
    const intake = keyIntakeAt(event.httpMethod, event.resource, ttlSeconds);
    const presented = presentedKey(headers, intake, event.multiValueHeaders);
    const now = new Date();
    const retryBudgetMs = Math.min(AUTH_STORE_RETRY_BUDGET_MS, context.getRemainingTimeInMillis() - RETRY_RESERVE_MS);
    const { record, cached } = await keyRecordOf(presented, intake, ttlSeconds, requestTime(event), now, retryBudgetMs);
    if (record === undefined) {
      log.info('authorizer denied');
      countDenial(startedAt);
      throw new Error('Unauthorized');
    }
    // One stamp per key and minute from this instance: a burst of one key waits for one write, not one each.
    if (!cached && touches.claim(record.hash, now.getTime())) {
      await keyStore()
        .touch(record.hash, now)
        .catch((err: unknown) => {
          touches.release(record.hash, now.getTime());
          log.warn('lastUsedAt not recorded', { error: err instanceof Error ? err.name : 'Error' });
        });
    }
    log.info('authorizer allowed', {
      tenant: record.tenant,
      keyId: record.id,
      plan: record.plan,
      ...(cached ? { cached } : {}),
    });
    return {
      principalId: record.id,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageWildcard(event.methodArn) }],
      },
      context: toAuthorizerContext({
        tenant: record.tenant,
        keyId: record.id,
        plan: record.plan,
        scopes: record.scopes,
        models: record.models,
        labels: record.labels,
      }),
      usageIdentifierKey: record.usageKey,
    };
  },
);
