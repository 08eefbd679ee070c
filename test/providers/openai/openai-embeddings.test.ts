import { GatewayError } from '../../../lambdas/core/errors.js';
import type { EmbedCall } from '../../../lambdas/providers/embedding-types.js';
import { echoEmbed } from '../../../lambdas/providers/echo/echo-embeddings.js';
import { OpenAIProvider } from '../../../lambdas/providers/openai/openai-provider.js';
import { toEmbedResult, toEmbeddingParams } from '../../../lambdas/providers/openai/openai-embeddings.js';
import { float32Base64, fakeEmbedding } from '../../fakes/fake-openai-embeddings.js';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../../fakes/fake-openai.js';

// The OpenAI adapter's embed (OpenAI and OpenAI-compatible APIs) through the official SDK, and the echo provider's.

const call = (over: Partial<EmbedCall> = {}): EmbedCall => ({
  input: ['a', 'b'],
  model: 'text-embedding-3-small',
  dimensions: undefined,
  targetDimensions: 8,
  encodingFormat: 'float',
  user: undefined,
  requestId: 'req-1',
  signal: new AbortController().signal,
  ...over,
});

describe('the upstream request and answer', () => {
  it('inputs always as an array, the encoding asked explicitly, dimensions and user only when given', () => {
    expect(toEmbeddingParams(call())).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      encoding_format: 'float',
    });
    expect(
      toEmbeddingParams(call({ input: [[1, 2], [3]], dimensions: 4, user: 'u', encodingFormat: 'base64' })),
    ).toEqual({
      model: 'text-embedding-3-small',
      input: [[1, 2], [3]],
      encoding_format: 'base64',
      dimensions: 4,
      user: 'u',
    });
  });

  it('vectors in input order by index; prompt_tokens when reported', () => {
    const body = {
      data: [
        { object: 'embedding', index: 1, embedding: 'AAAAAA==' },
        { object: 'embedding', index: 0, embedding: [0.5] },
      ],
      usage: { prompt_tokens: 3 },
    };
    expect(toEmbedResult(body, 2)).toEqual({ vectors: [[0.5], 'AAAAAA=='], inputTokens: 3 });
    expect(toEmbedResult({ data: [{ embedding: [1] }] }, 1)).toEqual({ vectors: [[1]], inputTokens: undefined });
  });

  it('not one vector per input, a duplicate index, or something else than a vector: thrown', () => {
    expect(() => toEmbedResult({ data: [] }, 1)).toThrow(TypeError);
    expect(() =>
      toEmbedResult(
        {
          data: [
            { index: 0, embedding: [1] },
            { index: 0, embedding: [2] },
          ],
        },
        2,
      ),
    ).toThrow();
    expect(() => toEmbedResult({ data: [{ index: 0, embedding: ['x'] }] }, 1)).toThrow();
    expect(() => toEmbedResult({ error: { message: 'no' } }, 1)).toThrow();
  });
});

describe('OpenAIProvider.embed against the fake', () => {
  let fake: FakeOpenAI;
  let provider: OpenAIProvider;
  beforeAll(async () => {
    fake = await startFakeOpenAI({ apiKey: 'sk-provider-embed' });
    provider = new OpenAIProvider({ name: 'oa', apiKey: fake.apiKey, baseURL: fake.url, timeoutMs: 5000 });
  });
  afterAll(() => fake.close());

  it("base64 asked: the provider's base64 kept as sent; float: floats", async () => {
    const b64 = await provider.embed(call({ encodingFormat: 'base64', dimensions: 8 }));
    expect(b64).toEqual({ vectors: ['a', 'b'].map((t) => float32Base64(fakeEmbedding(t, 8))), inputTokens: 2 });
    const floats = await provider.embed(call({ dimensions: 8 }));
    expect(floats.vectors).toEqual([fakeEmbedding('a', 8), fakeEmbedding('b', 8)]);
    expect(fake.requests.at(-1)?.headers['x-request-id']).toBe('req-1');
  });

  it("a 400 is the request's fault, a 200 carrying an error is the provider's, a 500 retryable", async () => {
    fake.enqueue(
      reply.error(400, { message: 'bad input' }),
      reply.json({ error: { message: 'boom' } }),
      reply.serverError(),
    );
    const codes = [];
    for (let i = 0; i < 3; i++) {
      const err = await provider.embed(call()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      codes.push((err as GatewayError).code);
    }
    expect(codes).toEqual(['upstream_bad_request', 'upstream_invalid_response', 'upstream_error']);
  });
});

it('echo: deterministic unit vectors of the asked or the target dimensions, the estimate as usage', () => {
  const result = echoEmbed(call({ input: ['hello', [1, 2, 3]] }));
  expect(result.vectors.map((v) => v.length)).toEqual([8, 8]);
  expect(result.inputTokens).toBe(2 + 3);
  const norm = Math.hypot(...(result.vectors[0] as number[]));
  expect(norm).toBeCloseTo(1, 5);
  expect(echoEmbed(call({ input: ['hello'] })).vectors[0]).toEqual(result.vectors[0]);
  expect(echoEmbed(call({ input: ['hello'], dimensions: 3 })).vectors[0]).toHaveLength(3);
});
