import { AuthorizationType, type MethodOptions } from 'aws-cdk-lib/aws-apigateway';
import type { Access, RouteSpec } from '../lambdas/api/routes.js';
import { keyIntakeOf } from '../lambdas/auth/key-intake.js';
import { authorizerFor, type KeyAuthorizers } from './key-authorizer.js';

/**
 * A method's authorization. Open routes and the fallback: NONE; key routes: the authorizer of the route's key intake,
 * metered by usage plans; admin routes: IAM.
 */
export function authorizationOf(
  access: Access,
  route: RouteSpec | undefined,
  authorizers: KeyAuthorizers,
  cacheTtlSeconds: number,
): MethodOptions {
  switch (access.kind) {
    case 'open':
      return { authorizationType: AuthorizationType.NONE };
    case 'admin':
      return { authorizationType: AuthorizationType.IAM };
    case 'key': {
      const authorizer =
        route === undefined ? undefined : authorizerFor(authorizers, keyIntakeOf(route, cacheTtlSeconds));
      if (authorizer === undefined) throw new Error('A key route needs its authorizer');
      // apiKeyRequired makes the usage plans apply, to the API key the authorizer returns as usageIdentifierKey.
      return { authorizationType: AuthorizationType.CUSTOM, authorizer, apiKeyRequired: true };
    }
  }
}
