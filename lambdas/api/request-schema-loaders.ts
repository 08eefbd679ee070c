import type { RouteSchemas } from './route-spec.js';

type RequestSchemas = Pick<RouteSchemas, 'body' | 'query'>;

/**
 * The request schemas (body, query) of each route with any, by operationId, each loaded on its route's first request
 * from only the modules it needs: the first chat completion evaluates zod and the chat request's schemas, not every
 * route's (api/route-schemas.ts, whose body and query are these same objects: test/api/route-table.test.ts).
 */
const chatCheck = () => import('./chat-schemas.js');

/** Routes whose requests reach chat/resolve.ts, which checks an alias's overrides with the chat request schema. */
const withChatCheck = async (schemas: Promise<RequestSchemas>): Promise<RequestSchemas> =>
  (await Promise.all([schemas, chatCheck()]))[0];

export const requestSchemaLoaders: Readonly<Record<string, () => Promise<RequestSchemas>>> = {
  createChatCompletion: async () => ({ body: (await chatCheck()).chatRequestSchema }),
  chat: async () => ({ body: (await chatCheck()).chatRequestSchema }),
  createMessage: () => withChatCheck(import('./messages-schemas.js').then((m) => ({ body: m.messagesRequestSchema }))),
  countMessageTokens: () =>
    withChatCheck(import('./count-tokens-schemas.js').then((m) => ({ body: m.countTokensRequestSchema }))),
  createResponse: () =>
    withChatCheck(import('./responses-schemas.js').then((m) => ({ body: m.responsesRequestSchema }))),
  listResponseInputItems: async () => ({ query: (await import('./responses-schemas.js')).inputItemsQuerySchema }),
  createEmbedding: async () => ({ body: (await import('./embeddings-schemas.js')).embeddingsRequestSchema }),
  getUsage: async () => ({ query: (await import('./usage-schemas.js')).usageQuerySchema }),
  getAdminUsage: async () => ({ query: (await import('./usage-schemas.js')).adminUsageQuerySchema }),
  createFeedback: async () => ({ body: (await import('./feedback-schemas.js')).feedbackRequestSchema }),
  createKey: async () => ({ body: (await import('./key-schemas.js')).createKeyRequestSchema }),
  rotateKey: async () => ({ body: (await import('./key-schemas.js')).rotateKeyRequestSchema }),
};
