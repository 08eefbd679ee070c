import type { RouteSchemas } from './route-spec.js';

type RequestSchemas = Pick<RouteSchemas, 'body' | 'query'>;

/**
 * The request schemas (body, query) of each route with any, by operationId, each loaded on its route's first request
 * from only the modules it needs: the first chat completion evaluates zod and the chat request's schemas, not every
 * route's (api/route-schemas.ts, whose body and query are these same objects: test/api/route-table.test.ts).
 */
const chatCheck = () => import('./chat-schemas.js');

/** Routes whose requests reach chat/resolve.ts, which checks an alias's overrides with the chat request schema. */
const withChatCheck = async (load: () => Promise<RequestSchemas>): Promise<RequestSchemas> => {
  // One import after the other: Jest's ESM loader (the tests) fails on concurrent imports of shared modules.
  await chatCheck();
  return load();
};

export const requestSchemaLoaders: Readonly<Record<string, () => Promise<RequestSchemas>>> = {
  createChatCompletion: async () => ({ body: (await chatCheck()).chatRequestSchema }),
  chat: async () => ({ body: (await chatCheck()).chatRequestSchema }),
  createMessage: () =>
    withChatCheck(async () => ({ body: (await import('./messages-schemas.js')).messagesRequestSchema })),
  countMessageTokens: () =>
    withChatCheck(async () => ({ body: (await import('./count-tokens-schemas.js')).countTokensRequestSchema })),
  createResponse: () =>
    withChatCheck(async () => ({ body: (await import('./responses-schemas.js')).responsesRequestSchema })),
  listResponseInputItems: async () => ({ query: (await import('./responses-schemas.js')).inputItemsQuerySchema }),
  createEmbedding: async () => ({ body: (await import('./embeddings-schemas.js')).embeddingsRequestSchema }),
  getUsage: async () => ({ query: (await import('./usage-schemas.js')).usageQuerySchema }),
  getAdminUsage: async () => ({ query: (await import('./usage-schemas.js')).adminUsageQuerySchema }),
  createFeedback: async () => ({ body: (await import('./feedback-schemas.js')).feedbackRequestSchema }),
  createKey: async () => ({ body: (await import('./key-schemas.js')).createKeyRequestSchema }),
  rotateKey: async () => ({ body: (await import('./key-schemas.js')).rotateKeyRequestSchema }),
};
