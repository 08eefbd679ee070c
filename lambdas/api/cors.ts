import type { CorsConfig } from '../config/cors-schema.js';

/** What a browser app may send: the key headers of both formats, JSON, the Anthropic SDK's headers, the gateway's own. */
export const CORS_ALLOWED_HEADERS: readonly string[] = [
  'Authorization',
  'x-api-key',
  'Content-Type',
  'anthropic-version',
  'anthropic-beta',
  'anthropic-dangerous-direct-browser-access',
  'Idempotency-Key',
  'Cache-Control',
  'X-Request-Id',
  'x-stainless-arch',
  'x-stainless-lang',
  'x-stainless-os',
  'x-stainless-package-version',
  'x-stainless-retry-count',
  'x-stainless-runtime',
  'x-stainless-runtime-version',
  'x-stainless-timeout',
];

/** What a browser app may read of an answer: request ids, the gateway's headers, retry advice, rate limits. */
export const CORS_EXPOSED_HEADERS: readonly string[] = [
  'X-Request-Id',
  'request-id',
  'X-Gateway-Provider',
  'X-Gateway-Model',
  'X-Gateway-Attempts',
  'X-Gateway-Cost-Usd',
  'X-Gateway-Idempotent-Replayed',
  'X-Gateway-Ledger-Id',
  'X-Gateway-Policy',
  'X-Gateway-Cache',
  'X-Gateway-Quota-Remaining-Tokens',
  'X-Gateway-Budget-Remaining-Usd',
  'x-should-retry',
  'Retry-After',
];

export const CORS_ALLOWED_METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** True when CORS is on (some origin listed). */
export const corsEnabled = (cors: CorsConfig): boolean => cors.allowedOrigins.length > 0;

/** The listed origin the request came from, exactly as listed; undefined for an unlisted or missing origin. */
export const listedOrigin = (cors: CorsConfig, origin: string | undefined): string | undefined =>
  origin === undefined
    ? undefined
    : cors.allowedOrigins.find((listed) => listed.toLowerCase() === origin.toLowerCase());

/**
 * The CORS headers of an actual answer: nothing while CORS is off; `Vary: Origin` on every answer once it is on (the
 * answer depends on the origin), and Access-Control-Allow-Origin with the exposed headers only for a listed origin.
 * Never Access-Control-Allow-Credentials: keys travel in headers, not cookies.
 */
export function corsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (!corsEnabled(cors)) return {};
  const listed = listedOrigin(cors, origin);
  if (listed === undefined) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': listed,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
  };
}

/**
 * The answer to a preflight (OPTIONS with Access-Control-Request-Method) when CORS is on: 204, with the allow headers
 * only for a listed origin (an unlisted one gets a bare 204, which the browser refuses), as the stack's OPTIONS
 * methods answer. Undefined while CORS is off: the request goes on as any OPTIONS (405 from the fallback).
 */
export function preflightHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> | undefined {
  if (!corsEnabled(cors)) return undefined;
  const listed = listedOrigin(cors, origin);
  if (listed === undefined) return { Vary: 'Origin' };
  return {
    Vary: 'Origin',
    'Access-Control-Allow-Origin': listed,
    'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS.join(','),
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS.join(','),
    'Access-Control-Max-Age': String(cors.maxAgeSeconds),
  };
}

/**
 * The CORS headers API Gateway's own answers (401, 403, 429, 413, DEFAULT_4XX/5XX) carry, so a browser app reads their
 * status and body instead of an opaque network error. A gateway response cannot choose by origin: with one listed
 * origin it names that origin (browsers elsewhere refuse it), with several it echoes the request's Origin. Their
 * bodies are constant texts (lambdas/api/edge-errors.ts), so nothing of a tenant is exposed to another origin.
 */
export function edgeCorsHeaders(cors: CorsConfig, origin: string | undefined): Record<string, string> {
  if (!corsEnabled(cors)) return {};
  const allowed = cors.allowedOrigins.length === 1 ? cors.allowedOrigins[0] : origin;
  return {
    Vary: 'Origin',
    ...(allowed === undefined ? {} : { 'Access-Control-Allow-Origin': allowed }),
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS.join(', '),
  };
}

/** The same as gateway response parameters (`gatewayresponse.header.*`: quoted literals or a request header). */
export function edgeCorsParameters(cors: CorsConfig): Record<string, string> {
  if (!corsEnabled(cors)) return {};
  const [only] = cors.allowedOrigins;
  return {
    'gatewayresponse.header.Vary': "'Origin'",
    'gatewayresponse.header.Access-Control-Allow-Origin':
      cors.allowedOrigins.length === 1 ? `'${only}'` : 'method.request.header.Origin',
    'gatewayresponse.header.Access-Control-Expose-Headers': `'${CORS_EXPOSED_HEADERS.join(', ')}'`,
  };
}
