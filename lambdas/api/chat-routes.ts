import { chatCompletionSchema, chatRequestSchema } from './chat-schemas.js';
import { countTokensRequestSchema, messageTokensCountSchema, TOKEN_COUNT_HEADER } from './count-tokens-schemas.js';
import { modelListSchema, modelSchema } from './key-schemas.js';
import { anthropicMessageSchema, messagesRequestSchema } from './messages-schemas.js';
import { anthropicError, error, keyErrors, type RouteSpec } from './route-spec.js';

/** The chat function's routes: chat completions, Anthropic-format messages, the key's models. */
export const chatRoutes: readonly RouteSpec[] = [
  ...(['/v1/chat/completions', '/v1/chat'] as const).map((path): RouteSpec => ({
    method: 'POST',
    path,
    fn: 'chat',
    operationId: path === '/v1/chat' ? 'chat' : 'createChatCompletion',
    summary:
      path === '/v1/chat'
        ? 'The unified chat endpoint (same as /v1/chat/completions)'
        : 'Chat completion in the OpenAI format, on a model alias; stream: true for SSE',
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
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
  })),
  {
    method: 'POST',
    path: '/v1/messages',
    fn: 'chat',
    operationId: 'createMessage',
    summary:
      "Anthropic Messages API format on a model alias (any provider behind it); stream: true for Anthropic's SSE events",
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    body: messagesRequestSchema,
    errorFormat: 'anthropic',
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
  {
    method: 'POST',
    path: '/v1/messages/count_tokens',
    fn: 'chat',
    operationId: 'countMessageTokens',
    summary:
      `Anthropic's count_tokens on a model alias: the provider's count on an Anthropic target, else the gateway's ` +
      `estimate (${TOKEN_COUNT_HEADER}: provider | estimate); not booked, no quota`,
    tag: 'chat',
    access: { kind: 'key', scope: 'chat' },
    body: countTokensRequestSchema,
    errorFormat: 'anthropic',
    responses: {
      200: { description: 'The input tokens of the request', schema: messageTokensCountSchema },
      400: anthropicError('Invalid request'),
      401: error('Missing, unknown, revoked or expired key (answered at the edge, in the OpenAI shape)'),
      403: anthropicError('The key lacks the scope'),
      404: anthropicError('Unknown model alias, or one this key may not use'),
      429: anthropicError('Usage-plan throttling (answered at the edge, in the OpenAI shape)'),
    },
  },
  {
    method: 'GET',
    path: '/v1/models',
    fn: 'chat',
    operationId: 'listModels',
    summary: 'The model aliases the calling key may use',
    tag: 'models',
    access: { kind: 'key', scope: 'chat' },
    responses: { 200: { description: 'Aliases', schema: modelListSchema }, ...keyErrors },
  },
  {
    method: 'GET',
    path: '/v1/models/{model}',
    fn: 'chat',
    operationId: 'retrieveModel',
    summary: 'One model alias, if the calling key may use it (404 otherwise, as for an alias that does not exist)',
    tag: 'models',
    access: { kind: 'key', scope: 'chat' },
    responses: {
      200: { description: 'The alias', schema: modelSchema },
      404: error('No such alias, or not one this key may use'),
      ...keyErrors,
    },
  },
];
