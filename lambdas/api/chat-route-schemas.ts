import { chatCompletionSchema, chatRequestSchema } from './chat-schemas.js';
import { countTokensRequestSchema, messageTokensCountSchema } from './count-tokens-schemas.js';
import { embeddingListSchema, embeddingsRequestSchema } from './embeddings-schemas.js';
import { modelListSchema, modelSchema } from './key-schemas.js';
import { anthropicMessageSchema, messagesRequestSchema } from './messages-schemas.js';
import { anthropicError, error, keyErrors } from './route-errors.js';
import type { RouteSchemas } from './route-spec.js';

const completion: RouteSchemas = {
  body: chatRequestSchema,
  responses: {
    200: {
      description: 'A chat.completion, or an SSE stream of chat.completion.chunk',
      schema: chatCompletionSchema,
    },
    400: error('Invalid request, or a parameter the target cannot honour'),
    404: error('Unknown model alias'),
    502: error('The provider failed'),
    504: error('The provider timed out'),
    ...keyErrors,
  },
};

/** The schemas of the chat function's routes (chat-routes.ts, embeddings-routes.ts), by operationId. */
export const chatRouteSchemas: Readonly<Record<string, RouteSchemas>> = {
  createChatCompletion: completion,
  chat: completion,
  createMessage: {
    body: messagesRequestSchema,
    responses: {
      200: {
        description: 'A Message, or an SSE stream of message_start … message_stop',
        schema: anthropicMessageSchema,
      },
      400: anthropicError('Invalid request, or a parameter the target cannot honour'),
      401: error('Missing, unknown, revoked or expired key (answered at the edge, in the OpenAI shape)'),
      403: anthropicError('The key lacks the scope or the model'),
      404: anthropicError('Unknown model alias'),
      429: anthropicError(
        'Over a token quota or budget, or rate limited upstream (usage-plan throttling at the edge answers in the OpenAI shape)',
      ),
      502: anthropicError('The provider failed'),
      504: anthropicError('The provider timed out'),
    },
  },
  countMessageTokens: {
    body: countTokensRequestSchema,
    responses: {
      200: { description: 'The input tokens of the request', schema: messageTokensCountSchema },
      400: anthropicError('Invalid request'),
      401: error('Missing, unknown, revoked or expired key (answered at the edge, in the OpenAI shape)'),
      403: anthropicError('The key lacks the scope'),
      404: anthropicError('Unknown model alias, or one this key may not use'),
      429: anthropicError('Usage-plan throttling (answered at the edge, in the OpenAI shape)'),
    },
  },
  listModels: { responses: { 200: { description: 'Aliases', schema: modelListSchema }, ...keyErrors } },
  retrieveModel: {
    responses: {
      200: { description: 'The alias', schema: modelSchema },
      404: error('No such alias, or not one this key may use'),
      ...keyErrors,
    },
  },
  createEmbedding: {
    body: embeddingsRequestSchema,
    responses: {
      200: { description: 'The vectors, floats or base64', schema: embeddingListSchema },
      400: error('Invalid request (limits: 2,048 inputs, 8,192 tokens each, 300,000 in all), or a chat alias'),
      404: error('Unknown model alias'),
      502: error('The provider failed'),
      504: error('The provider timed out'),
      ...keyErrors,
    },
  },
};
