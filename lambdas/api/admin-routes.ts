import { ADMIN, type Route } from './route-spec.js';

/**
 * The administrators' routes (IAM in AWS, the admin key locally): keys, every tenant's usage and requests (schemas:
 * usage-route-schemas.ts).
 */
export const adminRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'createKey',
    summary: 'Create a gateway key; the response is the only time the key is shown',
    tag: 'admin',
    access: ADMIN,
    hasBody: true,
  },
  {
    method: 'GET',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'listKeys',
    summary: 'List keys, optionally of one tenant (?tenant=)',
    tag: 'admin',
    access: ADMIN,
  },
  {
    method: 'GET',
    path: '/admin/keys/{keyId}',
    fn: 'admin',
    operationId: 'getKey',
    summary: 'One key',
    tag: 'admin',
    access: ADMIN,
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/revoke',
    fn: 'admin',
    operationId: 'revokeKey',
    summary: 'Revoke a key at once (authorizer caches may honour it for up to auth.cacheTtlSeconds)',
    tag: 'admin',
    access: ADMIN,
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/rotate',
    fn: 'admin',
    operationId: 'rotateKey',
    summary: 'Replace a key with a new one; the old one keeps working for the grace period',
    tag: 'admin',
    access: ADMIN,
    hasBody: true,
  },
  {
    method: 'GET',
    path: '/admin/usage',
    fn: 'usage',
    operationId: 'getAdminUsage',
    summary: 'Usage and cost of one tenant (?tenant=) or of every tenant over a date range',
    tag: 'admin',
    access: ADMIN,
    hasQuery: true,
  },
  {
    method: 'GET',
    path: '/admin/requests/{requestId}',
    fn: 'usage',
    operationId: 'getAdminRequest',
    summary: "Any tenant's request as the ledger recorded it, with its feedback",
    tag: 'admin',
    access: ADMIN,
  },
];
