import { assertModelAllowed, checkAccess } from '../../lambdas/auth/access.js';
import { toAuthorizerContext, type Principal } from '../../lambdas/auth/principal.js';
import { GatewayError } from '../../lambdas/core/errors.js';
import type { APIGatewayProxyEvent } from 'aws-lambda';

const principal: Principal = { tenant: 'acme', keyId: 'key_1', plan: 'pro', scopes: ['chat'], models: ['demo'] };

const eventWith = (authorizer: Record<string, string> | null, userArn: string | null = null) =>
  ({ requestContext: { authorizer, identity: { userArn } } }) as unknown as APIGatewayProxyEvent;

const statusOf = (fn: () => unknown): number | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof GatewayError ? err.status : -1;
  }
};

describe('per-endpoint access', () => {
  it('round-trips the principal through the string-only authorizer context', () => {
    expect(checkAccess({ kind: 'key', scope: 'chat' }, eventWith(toAuthorizerContext(principal)))).toEqual(principal);
    const all = { ...principal, models: null, scopes: ['chat', 'usage:read'] as const };
    expect(checkAccess({ kind: 'key', scope: 'usage:read' }, eventWith(toAuthorizerContext(all)))).toEqual(all);
  });

  it('key routes: 401 without a principal, 403 without the scope', () => {
    expect(statusOf(() => checkAccess({ kind: 'key', scope: 'chat' }, eventWith(null)))).toBe(401);
    expect(
      statusOf(() => checkAccess({ kind: 'key', scope: 'usage:read' }, eventWith(toAuthorizerContext(principal)))),
    ).toBe(403);
  });

  it('admin routes need an IAM caller; a tenant principal is not one', () => {
    expect(statusOf(() => checkAccess({ kind: 'admin' }, eventWith(toAuthorizerContext(principal))))).toBe(403);
    expect(statusOf(() => checkAccess({ kind: 'admin' }, eventWith(null, 'arn:aws:iam::1:user/ops')))).toBeUndefined();
  });

  it('aliases: an allowed one passes, another is 403 model_not_allowed, null allows all', () => {
    expect(statusOf(() => assertModelAllowed(principal, 'demo'))).toBeUndefined();
    expect(statusOf(() => assertModelAllowed(principal, 'fast'))).toBe(403);
    expect(statusOf(() => assertModelAllowed({ ...principal, models: null }, 'fast'))).toBeUndefined();
  });
});
