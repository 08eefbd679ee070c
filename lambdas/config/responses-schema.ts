import { z } from 'zod';

/** Stored responses of POST /v1/responses (`store`, which defaults to true as in OpenAI's API). */
export const responsesConfigSchema = z
  .strictObject({
    storeTtlSeconds: z
      .int()
      .min(60)
      .max(365 * 86_400)
      .default(30 * 86_400)
      .describe(
        'How long a stored response (its input items and output) is kept for previous_response_id, item_reference ' +
          'and GET /v1/responses/{id}; default 30 days, as OpenAI keeps them',
      ),
  })
  .describe('Conversation state of the Responses API: stored per tenant in the gateway table, with a TTL');

export type ResponsesConfig = z.output<typeof responsesConfigSchema>;

export const RESPONSES_DEFAULTS: ResponsesConfig = { storeTtlSeconds: 30 * 86_400 };
