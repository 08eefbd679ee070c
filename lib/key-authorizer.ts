import { Duration } from 'aws-cdk-lib';
import { IdentitySource, RequestAuthorizer, type CfnAuthorizer } from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { keyIntakeOf, type KeyIntake } from '../lambdas/auth/key-intake.js';
import type { RouteSpec } from '../lambdas/api/routes.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';

/** The header a gateway key arrives in as `Bearer <key>`; the cached authorizer's only identity source. */
export const KEY_IDENTITY_SOURCE = IdentitySource.header('Authorization');

/** The gateway-key authorizers, one per key intake some key route of the table has (lambdas/auth/key-intake.ts). */
export interface KeyAuthorizers {
  /**
   * `bearer` routes: API Gateway caches the decision for `auth.cacheTtlSeconds`, keyed on Authorization, the only
   * header the function reads for them. A cached REQUEST authorizer requires every identity source to be present: a
   * request without Authorization is refused with 401 before the function runs.
   */
  readonly cached: RequestAuthorizer | undefined;
  /**
   * `bearer-or-x-api-key` routes (Anthropic-format routes; every key route with `cacheTtlSeconds: 0`): result caching
   * off (TTL 0), so no identity source is demanded and API Gateway calls the function for every request; the
   * function reads x-api-key or Authorization and caches per key hash itself.
   */
  readonly uncached: RequestAuthorizer | undefined;
}

/** The authorizer of a key route. */
export const authorizerFor = (authorizers: KeyAuthorizers, intake: KeyIntake): RequestAuthorizer | undefined =>
  intake === 'bearer' ? authorizers.cached : authorizers.uncached;

/** The Lambda REQUEST authorizers checking gateway keys on the `key` routes of `table`, both on `handler`. */
export function createKeyAuthorizers(
  scope: Construct,
  handler: IFunction,
  auth: GatewayConfig['auth'],
  table: readonly RouteSpec[],
): KeyAuthorizers {
  const intakes = new Set(
    table.filter((route) => route.access.kind === 'key').map((route) => keyIntakeOf(route, auth.cacheTtlSeconds)),
  );
  const cached = intakes.has('bearer')
    ? new RequestAuthorizer(scope, 'KeyAuthorizer', {
        handler,
        resultsCacheTtl: Duration.seconds(auth.cacheTtlSeconds),
        identitySources: [KEY_IDENTITY_SOURCE],
      })
    : undefined;
  let uncached: RequestAuthorizer | undefined;
  if (intakes.has('bearer-or-x-api-key')) {
    uncached = new RequestAuthorizer(scope, 'UncachedKeyAuthorizer', {
      handler,
      resultsCacheTtl: Duration.seconds(0),
      identitySources: [],
    });
    // CDK joins an empty list into IdentitySource "", which is not "no identity source": leave the property out.
    (uncached.node.defaultChild as CfnAuthorizer).addPropertyDeletionOverride('IdentitySource');
  }
  return { cached, uncached };
}
