import type { Route } from './route-spec.js';

const chatAccess = { kind: 'key', scope: 'chat' } as const;

/**
 * OpenAI's Responses API on the chat function: create (any alias), and the tenant's stored responses (schemas:
 * responses-route-schemas.ts).
 */
export const responsesRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/responses',
    fn: 'chat',
    operationId: 'createResponse',
    summary:
      'OpenAI Responses API format on a model alias (any provider behind it); stream: true for the Responses SSE events',
    tag: 'chat',
    access: chatAccess,
    hasBody: true,
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}',
    fn: 'chat',
    operationId: 'retrieveResponse',
    summary: 'A stored response of the calling tenant',
    tag: 'chat',
    access: chatAccess,
  },
  {
    method: 'DELETE',
    path: '/v1/responses/{id}',
    fn: 'chat',
    operationId: 'deleteResponse',
    summary: 'Deletes a stored response of the calling tenant',
    tag: 'chat',
    access: chatAccess,
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}/input_items',
    fn: 'chat',
    operationId: 'listResponseInputItems',
    summary: 'The input items of a stored response of the calling tenant',
    tag: 'chat',
    access: chatAccess,
    hasQuery: true,
  },
];
