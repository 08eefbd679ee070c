import OpenAI from 'openai';
import { fakeEmbedding, fakeTokens } from '../fakes/fake-openai-embeddings.js';
import { embeddingsSuite, RATE_LIMITED_INPUT, type EmbeddingsContext } from './embeddings-harness.js';
import { BATCH, DIMENSIONS, QUERY } from './embedding-inputs.js';

// The openai SDK with its defaults (apiKey → Authorization: Bearer, its own 2 retries; base64 on the wire unless
// `encoding_format` is given, decoded by the SDK), `embeddings.create`.
const client = (ctx: EmbeddingsContext): OpenAI => new OpenAI({ baseURL: ctx.baseURL, apiKey: ctx.key });

/** A base64 embedding (little-endian float32) as numbers. */
const decoded = (base64: string): number[] => {
  const bytes = Buffer.from(base64, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
};

embeddingsSuite('openai-sdk-embeddings', {
  single: async (ctx) => {
    const answer = await client(ctx).embeddings.create({ model: ctx.model, input: QUERY });
    expect(answer.model).toBe(ctx.model);
    expect(answer.data.map((item) => Array.from(item.embedding))).toEqual([fakeEmbedding(QUERY)]);
    expect(answer.usage).toEqual({ prompt_tokens: fakeTokens(QUERY), total_tokens: fakeTokens(QUERY) });
  },

  batch: async (ctx) => {
    const answer = await client(ctx).embeddings.create({ model: ctx.model, input: [...BATCH] });
    expect(answer.data.map((item) => item.index)).toEqual([0, 1, 2]);
    expect(answer.data.map((item) => Array.from(item.embedding))).toEqual(BATCH.map((text) => fakeEmbedding(text)));
    expect(ctx.upstream.requests).toHaveLength(1);
  },

  base64: async (ctx) => {
    // The SDK's default: it asks for base64 and hands back floats; asked explicitly, the base64 string itself.
    const byDefault = await client(ctx).embeddings.create({ model: ctx.model, input: QUERY });
    expect(ctx.lastUpstreamBody().encoding_format).toBe('base64');
    expect(Array.from(byDefault.data[0]?.embedding ?? [])).toEqual(fakeEmbedding(QUERY));
    const raw = await client(ctx).embeddings.create({ model: ctx.model, input: QUERY, encoding_format: 'base64' });
    const text: unknown = raw.data[0]?.embedding;
    expect(typeof text).toBe('string');
    expect(decoded(String(text))).toEqual(fakeEmbedding(QUERY));
  },

  dimensions: async (ctx) => {
    const answer = await client(ctx).embeddings.create({ model: ctx.model, input: QUERY, dimensions: DIMENSIONS });
    expect(ctx.lastUpstreamBody().dimensions).toBe(DIMENSIONS);
    expect(Array.from(answer.data[0]?.embedding ?? [])).toEqual(fakeEmbedding(QUERY, DIMENSIONS));
  },

  'wrong-kind': async (ctx) => {
    const refused = client(ctx).embeddings.create({ model: ctx.chatModel, input: QUERY });
    await expect(refused).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(refused).rejects.toMatchObject({ status: 400, code: 'wrong_model_kind', param: 'model' });
    expect(ctx.upstream.requests).toHaveLength(0);
  },

  'typed-errors': async (ctx) => {
    const limited = client(ctx).embeddings.create({ model: ctx.model, input: RATE_LIMITED_INPUT });
    await expect(limited).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(limited).rejects.toMatchObject({ status: 429 });
    // The gateway's x-should-retry: false (its own tries are spent), which the SDK obeys: one upstream call.
    expect(ctx.upstream.requests).toHaveLength(1);
  },
});
