import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authenticate, presentedKey } from '../auth/authenticate.js';
import { toAuthorizerContext } from '../auth/principal.js';
import { requestLog } from '../core/request-log.js';
import { header } from '../core/http.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../core/request-id.js';
import { keyStore } from '../keys/runtime.js';

/**
 * API Gateway REQUEST authorizer. Allows a usable gateway key for the whole stage (the decision is cached per
 * Authorization header and reused for every method; scopes and aliases are checked per endpoint by the functions),
 * passes tenant, key id, plan, scopes and models on as context, and names the tenant's usage-plan key so API
 * Gateway throttles by plan. Anything else is "Unauthorized" (401), the same for every reason.
 */
function stageWildcard(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  return `${apiArn}/${stage}/*/*`;
}

export const handler = middy<APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult>().handler(async (event) => {
  const headers = event.headers;
  const log = requestLog(
    resolveRequestId(header({ headers }, REQUEST_ID_HEADER), event.requestContext.requestId),
    event.requestContext.requestId,
  );
  const now = new Date();
  const record = await authenticate(presentedKey(headers), keyStore(), now);
  if (record === undefined) {
    log.info('authorizer denied');
    throw new Error('Unauthorized');
  }
  await keyStore()
    .touch(record.hash, now)
    .catch((err: unknown) => log.warn('lastUsedAt not recorded', { error: err instanceof Error ? err.name : 'Error' }));
  log.info('authorizer allowed', { tenant: record.tenant, keyId: record.id, plan: record.plan });
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
    }),
    usageIdentifierKey: record.usageKey,
  };
});

