import { error, keyErrors, type RouteSpec } from './route-spec.js';
import {
  inputItemListSchema,
  inputItemsQuerySchema,
  responseDeletedSchema,
  responseObjectSchema,
  responsesRequestSchema,
} from './responses-schemas.js';

const stored = { 404: error('No stored response of this tenant with this id (expired, deleted, or never stored)') };

/** OpenAI's Responses API on the chat function: create (any alias), and the tenant's stored responses. */
export const responsesRoutes: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/responses',
    fn: 'chat',
    operationId: 'createResponse',
    summary:
      'OpenAI Responses API format on a model alias (any provider behind it); stream: true for the Responses SSE events',
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    body: responsesRequestSchema,
    responses: {
      200: {
        description: 'A Response, or an SSE stream of response.created … response.completed',
        schema: responseObjectSchema,
      },
      400: error(
        'Invalid request, a tool or parameter the target cannot honour, or a stored conversation over the cap',
      ),
      404: error('Unknown model alias, or an unknown previous_response_id or item_reference'),
      502: error('The provider failed'),
      504: error('The provider timed out'),
      ...keyErrors,
    },
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}',
    fn: 'chat',
    operationId: 'retrieveResponse',
    summary: 'A stored response of the calling tenant',
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    responses: { 200: { description: 'The Response', schema: responseObjectSchema }, ...stored, ...keyErrors },
  },
  {
    method: 'DELETE',
    path: '/v1/responses/{id}',
    fn: 'chat',
    operationId: 'deleteResponse',
    summary: 'Deletes a stored response of the calling tenant',
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    responses: { 200: { description: 'Deleted', schema: responseDeletedSchema }, ...stored, ...keyErrors },
  },
  {
    method: 'GET',
    path: '/v1/responses/{id}/input_items',
    fn: 'chat',
    operationId: 'listResponseInputItems',
    summary: 'The input items of a stored response of the calling tenant',
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    query: inputItemsQuerySchema,
    responses: {
      200: { description: 'The input items', schema: inputItemListSchema },
      400: error('An unknown query parameter or value'),
      ...stored,
      ...keyErrors,
    },
  },
];
