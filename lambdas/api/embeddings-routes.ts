import type { Route } from './route-spec.js';

/**
 * Embeddings, served by the chat function with the chat routes' access (the `chat` scope; schemas:
 * chat-route-schemas.ts).
 */
export const embeddingsRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/embeddings',
    fn: 'chat',
    operationId: 'createEmbedding',
    summary: 'Embeddings in the OpenAI format, on an embedding alias',
    tag: 'embeddings',
    access: { kind: 'key', scope: 'chat' },
    hasBody: true,
  },
];
