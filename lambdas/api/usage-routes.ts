import type { Route } from './route-spec.js';

/** A key's own usage, feedback and request records (schemas: usage-route-schemas.ts). */
export const usageRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/v1/usage',
    fn: 'usage',
    operationId: 'getUsage',
    summary: "The calling key's tenant's usage and cost over a date range: totals, by day, by model and by key",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
    hasQuery: true,
  },
  {
    method: 'POST',
    path: '/v1/feedback',
    fn: 'usage',
    operationId: 'createFeedback',
    summary: "Feedback on one of the tenant's requests (a later one replaces it), stored on its ledger record",
    tag: 'feedback',
    access: { kind: 'key', scope: 'chat' },
    hasBody: true,
  },
  {
    method: 'GET',
    path: '/v1/requests/{requestId}',
    fn: 'usage',
    operationId: 'getRequest',
    summary: "One of the tenant's requests as the ledger recorded it (tokens, cost, status), with its feedback",
    tag: 'usage',
    access: { kind: 'key', scope: 'usage:read' },
  },
];
