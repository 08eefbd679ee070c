import { feedbackRequestSchema, feedbackResponseSchema, requestRecordSchema } from './feedback-schemas.js';
import {
  createdKeySchema,
  createKeyRequestSchema,
  keyListSchema,
  keyViewSchema,
  rotateKeyRequestSchema,
} from './key-schemas.js';
import { adminErrors, error, keyErrors } from './route-errors.js';
import type { RouteSchemas } from './route-spec.js';
import { adminUsageQuerySchema, adminUsageSchema, usageQuerySchema, usageSchema } from './usage-schemas.js';

const noSuchKey = error('No such key');

/** The schemas of the usage and admin routes (usage-routes.ts, admin-routes.ts), by operationId. */
export const usageRouteSchemas: Readonly<Record<string, RouteSchemas>> = {
  getUsage: {
    query: usageQuerySchema,
    responses: {
      200: { description: 'Usage', schema: usageSchema },
      400: error('A malformed date or filter, an unknown parameter, from after to, or more than 366 days'),
      ...keyErrors,
    },
  },
  createFeedback: {
    body: feedbackRequestSchema,
    responses: {
      200: { description: 'The feedback as stored', schema: feedbackResponseSchema },
      400: error('A malformed request id, score, label or comment'),
      404: error(
        "No such request of this tenant (unknown, another tenant's, not yet recorded — streams are recorded at their end — or expired)",
      ),
      ...keyErrors,
    },
  },
  getRequest: {
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request of this tenant'),
      ...keyErrors,
    },
  },
  createKey: {
    body: createKeyRequestSchema,
    responses: {
      201: { description: 'The new key', schema: createdKeySchema },
      400: error('Invalid request'),
      ...adminErrors,
    },
  },
  listKeys: { responses: { 200: { description: 'Keys', schema: keyListSchema }, ...adminErrors } },
  getKey: { responses: { 200: { description: 'The key', schema: keyViewSchema }, 404: noSuchKey, ...adminErrors } },
  revokeKey: {
    responses: { 200: { description: 'The revoked key', schema: keyViewSchema }, 404: noSuchKey, ...adminErrors },
  },
  rotateKey: {
    body: rotateKeyRequestSchema,
    responses: {
      201: { description: 'The replacement key', schema: createdKeySchema },
      404: noSuchKey,
      409: error('The key is not active'),
      ...adminErrors,
    },
  },
  getAdminUsage: {
    query: adminUsageQuerySchema,
    responses: {
      200: { description: 'Usage, in total and per tenant', schema: adminUsageSchema },
      400: error('A malformed date, tenant or filter, an unknown parameter, from after to, or more than 366 days'),
      ...adminErrors,
    },
  },
  getAdminRequest: {
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request'),
      ...adminErrors,
    },
  },
};
