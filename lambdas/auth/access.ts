import { edgeErrors, type EdgeError } from '../api/edge-errors.js';
import type { Access } from '../api/routes.js';
import { GatewayError } from '../core/errors.js';
import { adminIdentityOf, principalOf, type Principal } from './principal.js';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const fromEdge = (error: EdgeError): GatewayError => new GatewayError({ code: error.code, message: error.message });

/**
 * The per-endpoint check behind the edge: a `key` route needs the authorizer's principal with the route's scope, an
 * `admin` route an IAM-authenticated caller. Returns the principal for key routes.
 */
export function checkAccess(
  access: Access,
  event: Pick<APIGatewayProxyEvent, 'requestContext'>,
): Principal | undefined {
  switch (access.kind) {
    case 'open':
      return undefined;
    case 'admin':
      if (adminIdentityOf(event) === undefined) throw fromEdge(edgeErrors.adminRequired);
      return undefined;
    case 'key': {
      const principal = principalOf(event);
      if (principal === undefined) throw fromEdge(edgeErrors.unauthorized);
      if (!principal.scopes.includes(access.scope)) {
        throw new GatewayError({
          code: 'missing_scope',
          message: `This key lacks the scope "${access.scope}".`,
        });
      }
      return principal;
    }
  }
}

/** Whether `principal` may use model alias `alias`; a 403 when not. */
export function assertModelAllowed(principal: Principal, alias: string): void {
  if (principal.models !== null && !principal.models.includes(alias)) {
    throw new GatewayError({
      code: 'model_not_allowed',
      param: 'model',
      message: `This key may not use the model "${alias}".`,
    });
  }
}
