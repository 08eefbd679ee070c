import type { Route } from './route-spec.js';
import { TOKEN_COUNT_HEADER } from './token-count-header.js';

const chatAccess = { kind: 'key', scope: 'chat' } as const;

/** The chat function's routes: chat completions, Anthropic-format messages, the key's models (schemas: chat-route-schemas.ts). */
export const chatRoutes: readonly Route[] = [
  ...(['/v1/chat/completions', '/v1/chat'] as const).map((path): Route => ({
    method: 'POST',
    path,
    fn: 'chat',
    operationId: path === '/v1/chat' ? 'chat' : 'createChatCompletion',
    summary:
      path === '/v1/chat'
        ? 'The unified chat endpoint (same as /v1/chat/completions)'
        : 'Chat completion in the OpenAI format, on a model alias; stream: true for SSE',
    tag: 'chat',
    access: chatAccess,
    hasBody: true,
  })),
  {
    method: 'POST',
    path: '/v1/messages',
    fn: 'chat',
    operationId: 'createMessage',
    summary:
      "Anthropic Messages API format on a model alias (any provider behind it); stream: true for Anthropic's SSE events",
    tag: 'chat',
    access: chatAccess,
    hasBody: true,
    errorFormat: 'anthropic',
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
    access: chatAccess,
    hasBody: true,
    errorFormat: 'anthropic',
  },
  {
    method: 'GET',
    path: '/v1/models',
    fn: 'chat',
    operationId: 'listModels',
    summary: 'The model aliases the calling key may use',
    tag: 'models',
    access: chatAccess,
  },
  {
    method: 'GET',
    path: '/v1/models/{model}',
    fn: 'chat',
    operationId: 'retrieveModel',
    summary: 'One model alias, if the calling key may use it (404 otherwise, as for an alias that does not exist)',
    tag: 'models',
    access: chatAccess,
  },
];
