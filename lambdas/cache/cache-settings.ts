import type { CacheConfig } from '../config/cache-schema.js';
import type { GatewayConfig } from '../config/schema.js';
import { header } from '../core/http.js';

/**
 * The cache configuration a request comes under: its alias's `cache`, else its plan's; none (off) when neither has
 * one, or the one that applies has `ttlSeconds: 0`.
 */
export function cacheConfigOf(config: GatewayConfig, alias: string, plan: string): CacheConfig | undefined {
  const model = Object.hasOwn(config.models, alias) ? config.models[alias] : undefined;
  const planned = Object.hasOwn(config.plans, plan) ? config.plans[plan] : undefined;
  const chosen = model?.cache ?? planned?.cache;
  return chosen === undefined || chosen.ttlSeconds === 0 ? undefined : chosen;
}

/** Where a request's entries live: its tenant's own scope, or the namespace its configuration names. */
export const scopeOf = (cache: CacheConfig, tenant: string): string =>
  cache.scope === 'tenant' ? `t:${tenant}` : `ns:${cache.scope.slice('shared:'.length)}`;

/** What the client's Cache-Control allows: `no-cache` (do not read; the answer refreshes the entry), `no-store`. */
export interface ClientCacheControl {
  readonly read: boolean;
  readonly store: boolean;
}

export function clientCacheControl(event: Parameters<typeof header>[0]): ClientCacheControl {
  const directives = (header(event, 'Cache-Control') ?? '')
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim().split('=')[0]);
  return { read: !directives.includes('no-cache'), store: !directives.includes('no-store') };
}

/**
 * A sampled request: one whose temperature, as any of its targets sends it, is above 0 — or absent, since the
 * providers' default is 1. Cached only where the configuration says `cacheSampled`.
 */
export const sampled = (requests: readonly { readonly temperature?: number | null | undefined }[]): boolean =>
  requests.some(
    (request) => request.temperature === undefined || request.temperature === null || request.temperature > 0,
  );
