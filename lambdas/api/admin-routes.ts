import { requestRecordSchema } from './feedback-schemas.js';
import {
  createdKeySchema,
  createKeyRequestSchema,
  keyListSchema,
  keyViewSchema,
  rotateKeyRequestSchema,
} from './key-schemas.js';
import { ADMIN, adminErrors, error, type RouteSpec } from './route-spec.js';
import { adminUsageQuerySchema, adminUsageSchema } from './usage-schemas.js';

/** The administrators' routes (IAM in AWS, the admin key locally): keys, every tenant's usage and requests. */
export const adminRoutes: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'createKey',
    summary: 'Create a gateway key; the response is the only time the key is shown',
    tag: 'admin',
    access: ADMIN,
    body: createKeyRequestSchema,
    responses: {
      201: { description: 'The new key', schema: createdKeySchema },
      400: error('Invalid request'),
      ...adminErrors,
    },
  },
  {
    method: 'GET',
    path: '/admin/keys',
    fn: 'admin',
    operationId: 'listKeys',
    summary: 'List keys, optionally of one tenant (?tenant=)',
    tag: 'admin',
    access: ADMIN,
    responses: { 200: { description: 'Keys', schema: keyListSchema }, ...adminErrors },
  },
  {
    method: 'GET',
    path: '/admin/keys/{keyId}',
    fn: 'admin',
    operationId: 'getKey',
    summary: 'One key',
    tag: 'admin',
    access: ADMIN,
    responses: { 200: { description: 'The key', schema: keyViewSchema }, 404: error('No such key'), ...adminErrors },
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/revoke',
    fn: 'admin',
    operationId: 'revokeKey',
    summary: 'Revoke a key at once (authorizer caches may honour it for up to auth.cacheTtlSeconds)',
    tag: 'admin',
    access: ADMIN,
    responses: {
      200: { description: 'The revoked key', schema: keyViewSchema },
      404: error('No such key'),
      ...adminErrors,
    },
  },
  {
    method: 'POST',
    path: '/admin/keys/{keyId}/rotate',
    fn: 'admin',
    operationId: 'rotateKey',
    summary: 'Replace a key with a new one; the old one keeps working for the grace period',
    tag: 'admin',
    access: ADMIN,
    body: rotateKeyRequestSchema,
    responses: {
      201: { description: 'The replacement key', schema: createdKeySchema },
      404: error('No such key'),
      409: error('The key is not active'),
      ...adminErrors,
    },
  },
  {
    method: 'GET',
    path: '/admin/usage',
    fn: 'usage',
    operationId: 'getAdminUsage',
    summary: 'Usage and cost of one tenant (?tenant=) or of every tenant over a date range',
    tag: 'admin',
    access: ADMIN,
    query: adminUsageQuerySchema,
    responses: {
      200: { description: 'Usage, in total and per tenant', schema: adminUsageSchema },
      400: error('A malformed date, tenant or filter, an unknown parameter, from after to, or more than 366 days'),
      ...adminErrors,
    },
  },
  {
    method: 'GET',
    path: '/admin/requests/{requestId}',
    fn: 'usage',
    operationId: 'getAdminRequest',
    summary: "Any tenant's request as the ledger recorded it, with its feedback",
    tag: 'admin',
    access: ADMIN,
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request'),
      ...adminErrors,
    },
  },
];
