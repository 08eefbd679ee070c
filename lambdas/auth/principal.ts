import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SCOPES, type Scope } from '../api/scopes.js';

/** Who is calling: the gateway key the authorizer accepted. */
export interface Principal {
  readonly tenant: string;
  readonly keyId: string;
  readonly plan: string;
  readonly scopes: readonly Scope[];
  /** null: every alias. */
  readonly models: readonly string[] | null;
  /** The key's labels (`keys create --label`), carried into its ledger records; absent: none. */
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/**
 * Authorizer context values must be strings, numbers or booleans: lists travel comma-joined, "*" for all models, and
 * labels as one JSON string (left out when there are none; at most 10 labels of 128 characters, so ~2 KB at most —
 * API Gateway caps the whole authorizer response at 8 KB).
 */
export function toAuthorizerContext(principal: Principal): Record<string, string> {
  const labels = principal.labels ?? {};
  return {
    tenant: principal.tenant,
    keyId: principal.keyId,
    plan: principal.plan,
    scopes: principal.scopes.join(','),
    models: principal.models === null ? '*' : principal.models.join(','),
    ...(Object.keys(labels).length === 0 ? {} : { labels: JSON.stringify(labels) }),
  };
}

/** The labels of a context's JSON string: string values only; anything malformed counts as none. */
function labelsOf(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const labels = Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    return labels.length === 0 ? undefined : Object.fromEntries(labels);
  } catch {
    return undefined;
  }
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
  const labels = labelsOf(text('labels'));
  return {
    tenant,
    keyId,
    plan,
    scopes: (text('scopes') ?? '').split(',').filter(isScope),
    models: models === '*' ? null : models.split(',').filter((m) => m !== ''),
    ...(labels === undefined ? {} : { labels }),
  };
}

/** The IAM caller API Gateway authenticated (SigV4) for admin routes; locally the admin-key emulation sets it. */
export const adminIdentityOf = (event: Pick<APIGatewayProxyEvent, 'requestContext'>): string | undefined =>
  event.requestContext.identity.userArn ?? undefined;
