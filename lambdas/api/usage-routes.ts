import { feedbackRequestSchema, feedbackResponseSchema, requestRecordSchema } from './feedback-schemas.js';
import { error, keyErrors, type RouteSpec } from './route-spec.js';
import { usageQuerySchema, usageSchema } from './usage-schemas.js';

/** A key's own usage, feedback and request records. */
export const usageRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/v1/usage',
    fn: 'usage',
    operationId: 'getUsage',
    summary: "The calling key's tenant's usage and cost over a date range: totals, by day, by model and by key",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
    query: usageQuerySchema,
    responses: {
      200: { description: 'Usage', schema: usageSchema },
      400: error('A malformed date or filter, an unknown parameter, from after to, or more than 366 days'),
      ...keyErrors,
    },
  },
  {
    method: 'POST',
    path: '/v1/feedback',
    fn: 'usage',
    operationId: 'createFeedback',
    summary: "Feedback on one of the tenant's requests (a later one replaces it), stored on its ledger record",
    tag: 'feedback',
    access: { kind: 'key', scope: 'chat' },
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
  {
    method: 'GET',
    path: '/v1/requests/{requestId}',
    fn: 'usage',
    operationId: 'getRequest',
    summary: "One of the tenant's requests as the ledger recorded it (tokens, cost, status), with its feedback",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
    responses: {
      200: { description: 'The request', schema: requestRecordSchema },
      400: error('Not a request id'),
      404: error('No such request of this tenant'),
      ...keyErrors,
    },
  },
];
