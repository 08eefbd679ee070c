import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SCOPES, type Scope } from '../api/key-schemas.js';

/** Who is calling: the gateway key the authorizer accepted. */
export interface Principal {
  readonly tenant: string;
  readonly keyId: string;
  readonly plan: string;
  readonly scopes: readonly Scope[];
  /** null: every alias. */
  readonly models: readonly string[] | null;
}

/** Authorizer context values must be strings, numbers or booleans: lists travel comma-joined, "*" for all models. */
export function toAuthorizerContext(principal: Principal): Record<string, string> {
  return {
    tenant: principal.tenant,
    keyId: principal.keyId,
    plan: principal.plan,
    scopes: principal.scopes.join(','),
    models: principal.models === null ? '*' : principal.models.join(','),
  };
}

const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

/** The principal API Gateway passed on from the authorizer, or undefined when none ran. */
export function principalOf(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Principal | undefined {
  const context: Record<string, unknown> | null | undefined = event.requestContext.authorizer;
  const text = (name: string): string | undefined => {
    const value = context?.[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const tenant = text('tenant');
  const keyId = text('keyId');
  const plan = text('plan');
  if (tenant === undefined || keyId === undefined || plan === undefined) return undefined;
  const models = text('models') ?? '';
  return {
    tenant,
    keyId,
    plan,
    scopes: (text('scopes') ?? '').split(',').filter(isScope),
    models: models === '*' ? null : models.split(',').filter((m) => m !== ''),
  };
}

/** The IAM caller API Gateway authenticated (SigV4) for admin routes; locally the admin-key emulation sets it. */
export const adminIdentityOf = (event: Pick<APIGatewayProxyEvent, 'requestContext'>): string | undefined =>
  event.requestContext.identity.userArn ?? undefined;
