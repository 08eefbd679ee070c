import type { Principal } from '../auth/principal.js';
import type { GatewayConfig } from '../config/schema.js';
import type { QuotasConfig, ScopeLimits } from '../config/quotas-schema.js';

/** A quota scope of one request: the tenant or the key, with the limits the key's plan sets for it. */
export interface QuotaScope {
  readonly kind: 'tenant' | 'key';
  /** Partition key of its quota items. */
  readonly pk: string;
  readonly limits: ScopeLimits;
}

export const tenantQuotaPk = (tenant: string): string => `QUOTA#TENANT#${tenant}`;
export const keyQuotaPk = (keyId: string): string => `QUOTA#KEY#${keyId}`;

/** The quotas of the principal's plan and the scopes they limit; undefined when the plan has none. */
export function quotaScopes(
  config: GatewayConfig,
  principal: Principal,
): { quotas: QuotasConfig; scopes: QuotaScope[] } | undefined {
  const quotas = Object.hasOwn(config.plans, principal.plan) ? config.plans[principal.plan]?.quotas : undefined;
  if (quotas === undefined) return undefined;
  const scopes: QuotaScope[] = [];
  if (quotas.tenant !== undefined)
    scopes.push({ kind: 'tenant', pk: tenantQuotaPk(principal.tenant), limits: quotas.tenant });
  if (quotas.key !== undefined) scopes.push({ kind: 'key', pk: keyQuotaPk(principal.keyId), limits: quotas.key });
  return scopes.length === 0 ? undefined : { quotas, scopes };
}

export const quotaSortKey = (month: string): string => `MONTH#${month}`;
