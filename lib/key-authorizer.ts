import { Duration } from 'aws-cdk-lib';
import { IdentitySource, RequestAuthorizer, type CfnAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { GatewayConfig } from '../lambdas/config/schema.js';

/** The header a gateway key arrives in as `Bearer <key>`; with caching, the only one. */
export const KEY_IDENTITY_SOURCE = IdentitySource.header('Authorization');

/**
 * The Lambda REQUEST authorizer checking gateway keys on every `key` route. API Gateway caches its decision for
 * `auth.cacheTtlSeconds`, keyed on the identity sources.
 *
 * A cached REQUEST authorizer requires every identity source to be present: a request missing one is refused with
 * 401 before the authorizer runs. So with caching, the key must arrive in Authorization (`Bearer <key>`), and a key
 * in x-api-key cannot also be accepted (listing both would require both). With `cacheTtlSeconds: 0` there is no
 * cache, so no identity source is required: API Gateway calls the authorizer for every request, which reads the key
 * from Authorization or x-api-key itself and answers 401 when there is none.
 */
export function createKeyAuthorizer(scope: Construct, handler: IFunction, auth: GatewayConfig['auth']): RequestAuthorizer {
  const cached = auth.cacheTtlSeconds > 0;
  const authorizer = new RequestAuthorizer(scope, 'KeyAuthorizer', {
    handler,
    resultsCacheTtl: Duration.seconds(auth.cacheTtlSeconds),
    identitySources: cached ? [KEY_IDENTITY_SOURCE] : [],
  });
  if (!cached) {
    // CDK joins an empty list into IdentitySource "", which is not "no identity source": leave the property out.
    (authorizer.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
  }
  return authorizer;
}
