import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { GatewayError } from '../../../lambdas/core/errors.js';
import type { EmbedCall } from '../../../lambdas/providers/embedding-types.js';
import { EMBED_CONCURRENCY, embedOnBedrock } from '../../../lambdas/providers/bedrock/bedrock-embed.js';
import { embedReply, startFakeBedrockEmbed, type FakeBedrockEmbed } from '../../fakes/fake-bedrock-embed.js';
import { fakeEmbedding, fakeTokens } from '../../fakes/fake-openai-embeddings.js';

// embedOnBedrock through the real AWS SDK client (SigV4 with static test credentials, its default HTTP/2 handler)
// against the fake runtime's InvokeModel.

const TITAN = 'amazon.titan-embed-text-v2:0';
const COHERE = 'cohere.embed-english-v3';
const TARGET = { provider: 'bedrock', timeoutMs: 10_000 };

let fake: FakeBedrockEmbed;
let client: BedrockRuntimeClient;
beforeAll(async () => {
  fake = await startFakeBedrockEmbed();
  client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: fake.url,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
  expect(fake.pending()).toBe(0);
});

const callOf = (model: string, input: EmbedCall['input'], extra: Partial<EmbedCall> = {}): EmbedCall => ({
  input,
  model,
  dimensions: undefined,
  targetDimensions: 1024,
  encodingFormat: 'float',
  user: undefined,
  requestId: 'req-1',
  signal: new AbortController().signal,
  ...extra,
});

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('not refused');
}

describe('Titan Text Embeddings v2', () => {
  test('one InvokeModel per text, {inputText, dimensions, normalize}; vectors in input order, tokens summed', async () => {
    const texts = Array.from({ length: 20 }, (_, i) => `text number ${i} ${'x'.repeat(i)}`);
    const result = await embedOnBedrock(client, callOf(TITAN, texts, { dimensions: 256 }), TARGET);
    expect(result.vectors).toEqual(texts.map((t) => fakeEmbedding(t, 256)));
    expect(result.inputTokens).toBe(texts.reduce((sum, t) => sum + fakeTokens(t), 0));
    expect(fake.requests).toHaveLength(20);
    expect(fake.requests.map((r) => r.modelId)).toEqual(texts.map(() => TITAN));
    expect(fake.requests.map((r) => r.region)).toEqual(texts.map(() => 'us-east-1'));
    expect(new Set(fake.requests.map((r) => JSON.stringify(Object.keys(r.body).sort())))).toEqual(
      new Set([JSON.stringify(['dimensions', 'inputText', 'normalize'])]),
    );
    expect(fake.requests.map((r) => r.body.inputText).sort()).toEqual([...texts].sort());
    expect(fake.requests.every((r) => r.body.dimensions === 256 && r.body.normalize === true)).toBe(true);
  });

  test("without the client's dimensions, the target's", async () => {
    const result = await embedOnBedrock(client, callOf(TITAN, ['a'], { targetDimensions: 512 }), TARGET);
    expect(result.vectors[0]).toHaveLength(512);
    expect(fake.requests[0]?.body.dimensions).toBe(512);
  });

  test('dimensions Titan cannot produce: the client’s a refused 400 (nothing sent), the target’s a 502 failover', async () => {
    const asked = await refusal(embedOnBedrock(client, callOf(TITAN, ['a'], { dimensions: 300 }), TARGET));
    expect({ code: asked.code, status: asked.status, param: asked.param }).toEqual({
      code: 'unsupported_parameter',
      status: 400,
      param: 'dimensions',
    });
    const configured = await refusal(embedOnBedrock(client, callOf(TITAN, ['a'], { targetDimensions: 1536 }), TARGET));
    expect(configured.code).toBe('invalid_target_params');
    expect(fake.requests).toEqual([]);
  });

  test(`the calls of one request run at most ${EMBED_CONCURRENCY} at once`, async () => {
    let open = 0;
    let most = 0;
    const counting = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: fake.url,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'test-secret' },
      maxAttempts: 1,
    });
    counting.middlewareStack.add(
      (next) => async (args) => {
        open += 1;
        most = Math.max(most, open);
        try {
          return await next(args);
        } finally {
          open -= 1;
        }
      },
      { step: 'finalizeRequest', name: 'countOpen' },
    );
    try {
      await embedOnBedrock(
        counting,
        callOf(
          TITAN,
          Array.from({ length: 30 }, (_, i) => `t${i}`),
        ),
        TARGET,
      );
    } finally {
      counting.destroy();
    }
    expect(fake.requests).toHaveLength(30);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(EMBED_CONCURRENCY);
  });
});

describe('Cohere Embed v3', () => {
  test('batches of at most 96 texts, input_type search_document, float vectors; tokens from the response header', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `document ${i}`);
    const result = await embedOnBedrock(client, callOf(COHERE, texts), TARGET);
    expect(result.vectors).toEqual(texts.map((t) => fakeEmbedding(t, 1024)));
    expect(result.inputTokens).toBe(texts.reduce((sum, t) => sum + fakeTokens(t), 0));
    const sizes = fake.requests.map((r) => (r.body.texts as string[]).length).sort((a, b) => b - a);
    expect(sizes).toEqual([96, 96, 8]);
    for (const request of fake.requests) {
      expect(request.modelId).toBe(COHERE);
      expect(request.body).toEqual({
        texts: request.body.texts,
        input_type: 'search_document',
        embedding_types: ['float'],
      });
    }
  });

  test('a plain list of embeddings (embeddings_floats) is read too; no token header: the count is undefined', async () => {
    fake.enqueue(
      embedReply.json({ id: 'x', response_type: 'embeddings_floats', embeddings: [[0.5, 0.5]], texts: ['a'] }),
    );
    const result = await embedOnBedrock(client, callOf('cohere.embed-multilingual-v3', ['a']), TARGET);
    expect(result).toEqual({ vectors: [[0.5, 0.5]], inputTokens: undefined });
  });

  test('dimensions other than 1024 are refused before anything is sent', async () => {
    const err = await refusal(embedOnBedrock(client, callOf(COHERE, ['a'], { dimensions: 512 }), TARGET));
    expect(err.code).toBe('unsupported_parameter');
    expect(fake.requests).toEqual([]);
  });
});

describe('refusals and errors', () => {
  test('token-id inputs: unsupported_content (refused), nothing sent', async () => {
    const err = await refusal(embedOnBedrock(client, callOf(TITAN, [[1, 2, 3]]), TARGET));
    expect({ code: err.code, status: err.status }).toEqual({ code: 'unsupported_content', status: 400 });
    expect(fake.requests).toEqual([]);
  });

  test('a model the gateway does not speak to: embeddings_unsupported (the next target)', async () => {
    const err = await refusal(embedOnBedrock(client, callOf('amazon.titan-embed-image-v1', ['a']), TARGET));
    expect(err.code).toBe('embeddings_unsupported');
  });

  test.each([
    ['ThrottlingException', embedReply.throttled('3'), 'upstream_rate_limited', 429, { 'Retry-After': '3' }],
    [
      'ServiceQuotaExceededException',
      embedReply.error(429, 'ServiceQuotaExceededException', 'quota'),
      'upstream_rate_limited',
      429,
      {},
    ],
    [
      'ModelNotReadyException',
      embedReply.error(429, 'ModelNotReadyException', 'warming up'),
      // One mapping for chat and embeddings (bedrock-error.ts): retried, then the next target, as upstream_error.
      'upstream_model_not_ready',
      502,
      {},
    ],
    [
      'ServiceUnavailableException',
      embedReply.error(503, 'ServiceUnavailableException', 'unavailable'),
      'upstream_error',
      502,
      {},
    ],
    ['InternalServerException', embedReply.error(500, 'InternalServerException', 'boom'), 'upstream_error', 502, {}],
    ['ModelTimeoutException', embedReply.error(408, 'ModelTimeoutException', 'slow'), 'upstream_timeout', 504, {}],
    [
      'AccessDeniedException',
      embedReply.error(403, 'AccessDeniedException', 'not authorized'),
      'provider_authentication_failed',
      502,
      {},
    ],
    [
      'ResourceNotFoundException',
      embedReply.error(404, 'ResourceNotFoundException', 'no model'),
      'upstream_model_not_found',
      502,
      {},
    ],
    [
      'ValidationException',
      embedReply.error(400, 'ValidationException', 'Input is too long.'),
      'upstream_bad_request',
      400,
      {},
    ],
  ])('%s is mapped to its routing class', async (_name, script, code, status, headers) => {
    fake.enqueue(script);
    const err = await refusal(embedOnBedrock(client, callOf(COHERE, ['a']), TARGET));
    expect({ code: err.code, status: err.status, headers: err.headers }).toEqual({ code, status, headers });
    if (code === 'upstream_bad_request') expect(err.message).toBe('Input is too long.');
    if (code === 'provider_authentication_failed') expect(err.message).not.toContain('not authorized');
  });

  test('a 200 that is not an embedding, or not JSON: upstream_invalid_response', async () => {
    fake.enqueue(embedReply.json({ message: 'odd' }), embedReply.raw('{not json'));
    for (let i = 0; i < 2; i++) {
      const err = await refusal(embedOnBedrock(client, callOf(TITAN, ['a']), TARGET));
      expect(err.code).toBe('upstream_invalid_response');
    }
  });

  test('one failed call of many fails the request with its error, and no later call starts', async () => {
    fake.enqueue(embedReply.throttled());
    const texts = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const err = await refusal(embedOnBedrock(client, callOf(TITAN, texts), TARGET));
    expect(err.code).toBe('upstream_rate_limited');
    expect(fake.requests.length).toBeLessThan(40);
  });

  test('an aborted call is rethrown as the abort, not mapped', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      embedOnBedrock(client, callOf(TITAN, ['a'], { signal: controller.signal }), TARGET),
    ).rejects.not.toBeInstanceOf(GatewayError);
  });
});

describe('the local endpoint override', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['AWS_ENDPOINT_URL_BEDROCK_RUNTIME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  test('a client built with the region only reaches AWS_ENDPOINT_URL_BEDROCK_RUNTIME, with the standard credential chain', async () => {
    process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENVEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret';
    const regional = new BedrockRuntimeClient({ region: 'eu-west-1', maxAttempts: 1 });
    try {
      const result = await embedOnBedrock(regional, callOf(COHERE, ['hello']), TARGET);
      expect(result.vectors).toEqual([fakeEmbedding('hello', 1024)]);
    } finally {
      regional.destroy();
    }
    // (Calls an earlier test aborted may still arrive: only this model's requests are this test's.)
    const mine = fake.requests.filter((r) => r.modelId === COHERE);
    expect(mine.map((r) => r.region)).toEqual(['eu-west-1']);
    expect(String(mine[0]?.headers.authorization)).toContain('Credential=AKIDENVEXAMPLE/');
  });
});
