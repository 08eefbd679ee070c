import { embeddingListSchema, embeddingsRequestSchema } from './embeddings-schemas.js';
import { error, keyErrors, type RouteSpec } from './route-spec.js';

/** Embeddings, served by the chat function with the chat routes' access (the `chat` scope). */
export const embeddingsRoutes: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/v1/embeddings',
    fn: 'chat',
    operationId: 'createEmbedding',
    summary: 'Embeddings in the OpenAI format, on an embedding alias',
    tag: 'embeddings',
    access: { kind: 'key', scope: 'chat' },
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
];
