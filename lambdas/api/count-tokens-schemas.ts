import { z } from 'zod';
import { checkToolChoice, messagesRequestSchema } from './messages-schemas.js';

/**
 * POST /v1/messages/count_tokens: Anthropic's count-tokens params, derived from the /v1/messages request (the same
 * fields and checks, without `max_tokens` and `stream`), so the two never drift. Fields that cannot change the count
 * (temperature, metadata …) are accepted as on /v1/messages and play no part in it.
 */
export const countTokensRequestSchema = z
  .strictObject(messagesRequestSchema.shape)
  .omit({ max_tokens: true, stream: true })
  .superRefine(checkToolChoice)
  .meta({
    id: 'CountTokensRequest',
    description: 'Anthropic count-tokens request: the Messages request without max_tokens and stream',
  });

export type CountTokensRequest = z.output<typeof countTokensRequestSchema>;

export const messageTokensCountSchema = z
  .object({ input_tokens: z.int().nonnegative() })
  .meta({ id: 'MessageTokensCount', description: "The request's input tokens, as Anthropic's count_tokens answers" });

export { TOKEN_COUNT_HEADER } from './token-count-header.js';
