import { anthropicErrorResponseSchema } from './messages-schemas.js';
import type { ResponseSpec } from './route-spec.js';
import { errorResponseSchema } from './schemas.js';

/** Documented error answers of the routes (route-schemas.ts), in OpenAI's or Anthropic's shape. */
export const error = (description: string): ResponseSpec => ({ description, schema: errorResponseSchema });
export const anthropicError = (description: string): ResponseSpec => ({
  description,
  schema: anthropicErrorResponseSchema,
});
export const keyErrors = {
  401: error('Missing, unknown, revoked or expired key (invalid_api_key)'),
  403: error('The key lacks the scope or the model'),
  429: error('Throttled or over the plan quota'),
};
export const adminErrors = { 403: error('Not an administrator') };
