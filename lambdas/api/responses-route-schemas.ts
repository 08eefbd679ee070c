import { error, keyErrors } from './route-errors.js';
import type { RouteSchemas } from './route-spec.js';
import {
  inputItemListSchema,
  inputItemsQuerySchema,
  responseDeletedSchema,
  responseObjectSchema,
  responsesRequestSchema,
} from './responses-schemas.js';

const stored = { 404: error('No stored response of this tenant with this id (expired, deleted, or never stored)') };

/** The schemas of the Responses API's routes (responses-routes.ts), by operationId. */
export const responsesRouteSchemas: Readonly<Record<string, RouteSchemas>> = {
  createResponse: {
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
  retrieveResponse: {
    responses: { 200: { description: 'The Response', schema: responseObjectSchema }, ...stored, ...keyErrors },
  },
  deleteResponse: {
    responses: { 200: { description: 'Deleted', schema: responseDeletedSchema }, ...stored, ...keyErrors },
  },
  listResponseInputItems: {
    query: inputItemsQuerySchema,
    responses: {
      200: { description: 'The input items', schema: inputItemListSchema },
      400: error('An unknown query parameter or value'),
      ...stored,
      ...keyErrors,
    },
  },
};
