import { createOpenAI } from '@ai-sdk/openai';
import { embed, embedMany } from 'ai';
import { fakeEmbedding, fakeTokens } from '../fakes/fake-openai-embeddings.js';
import { apiErrorOf } from './ai-sdk-scenarios.js';
import { embeddingsSuite, RATE_LIMITED_INPUT, type EmbeddingsContext } from './embeddings-harness.js';
import { BATCH, DIMENSIONS, QUERY } from './embedding-inputs.js';

// The AI SDK's embed / embedMany with @ai-sdk/openai's embedding model on its defaults (apiKey → Authorization:
// Bearer, the SDK's own 2 retries).
const model = (ctx: EmbeddingsContext, alias = ctx.model) =>
  createOpenAI({ baseURL: ctx.baseURL, apiKey: ctx.key }).embedding(alias);

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

embeddingsSuite('ai-sdk-embed', {
  single: async (ctx) => {
    const result = await embed({ model: model(ctx), value: QUERY });
    expect(result.embedding).toEqual(fakeEmbedding(QUERY));
    expect(result.usage.tokens).toBe(fakeTokens(QUERY));
  },

  batch: async (ctx) => {
    const result = await embedMany({ model: model(ctx), values: [...BATCH] });
    expect(result.embeddings).toEqual(BATCH.map((text) => fakeEmbedding(text)));
    expect(result.usage.tokens).toBe(BATCH.reduce((sum, text) => sum + fakeTokens(text), 0));
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  base64: {
    notApplicable: async (ctx) => {
      await embed({ model: model(ctx), value: QUERY });
      expect(ctx.lastUpstreamBody().encoding_format).toBe('float');
    },
  },

  dimensions: async (ctx) => {
    const result = await embed({
      model: model(ctx),
      value: QUERY,
      providerOptions: { openai: { dimensions: DIMENSIONS } },
    });
    expect(ctx.lastUpstreamBody().dimensions).toBe(DIMENSIONS);
    expect(result.embedding).toEqual(fakeEmbedding(QUERY, DIMENSIONS));
  },

  'wrong-kind': async (ctx) => {
    const refused = apiErrorOf(await rejection(embed({ model: model(ctx, ctx.chatModel), value: QUERY })));
    expect(refused?.statusCode).toBe(400);
    expect(refused?.isRetryable).toBe(false);
    expect(refused?.responseBody).toContain('wrong_model_kind');
    expect(ctx.upstream.requests).toHaveLength(0);
  },

  'typed-errors': async (ctx) => {
    const limited = apiErrorOf(await rejection(embed({ model: model(ctx), value: RATE_LIMITED_INPUT })));
    expect(limited?.statusCode).toBe(429);
    expect(limited?.isRetryable).toBe(true);
  },
});
