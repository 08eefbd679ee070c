import { OpenAIEmbeddings } from '@langchain/openai';
import { fakeEmbedding } from '../fakes/fake-openai-embeddings.js';
import { embeddingsSuite, RATE_LIMITED_INPUT, type EmbeddingsContext } from './embeddings-harness.js';
import { BATCH, DIMENSIONS, QUERY } from './embedding-inputs.js';

// LangChain OpenAIEmbeddings with its defaults (apiKey → Authorization: Bearer, its own 6 retries), pointed at the
// gateway through `configuration.baseURL`. It calls the openai SDK, which asks for base64 unless told otherwise.
const embeddings = (ctx: EmbeddingsContext, fields: { model?: string; dimensions?: number } = {}): OpenAIEmbeddings =>
  new OpenAIEmbeddings({ model: ctx.model, apiKey: ctx.key, configuration: { baseURL: ctx.baseURL }, ...fields });

const statusOf = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (typeof error === 'object' && error !== null && 'status' in error ? error.status : error),
  );

embeddingsSuite('langchain-openai-embeddings', {
  single: async (ctx) => {
    expect(await embeddings(ctx).embedQuery(QUERY)).toEqual(fakeEmbedding(QUERY));
  },

  batch: async (ctx) => {
    expect(await embeddings(ctx).embedDocuments([...BATCH])).toEqual(BATCH.map((text) => fakeEmbedding(text)));
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  base64: async (ctx) => {
    expect(await embeddings(ctx).embedQuery(QUERY)).toEqual(fakeEmbedding(QUERY));
    expect(ctx.lastUpstreamBody().encoding_format).toBe('base64');
  },

  dimensions: async (ctx) => {
    expect(await embeddings(ctx, { dimensions: DIMENSIONS }).embedQuery(QUERY)).toEqual(
      fakeEmbedding(QUERY, DIMENSIONS),
    );
    expect(ctx.lastUpstreamBody().dimensions).toBe(DIMENSIONS);
  },

  'wrong-kind': async (ctx) => {
    expect(await statusOf(embeddings(ctx, { model: ctx.chatModel }).embedQuery(QUERY))).toBe(400);
    expect(ctx.upstream.requests).toHaveLength(0);
  },

  'typed-errors': async (ctx) => {
    expect(await statusOf(embeddings(ctx).embedQuery(RATE_LIMITED_INPUT))).toBe(429);
    // LangChain does not read x-should-retry; it gives up at once on a Retry-After beyond 60 s (the fake says 120).
    expect(ctx.upstream.requests).toHaveLength(1);
  },
});
