import OpenAI from 'openai';
import { FAKE_EMBEDDING_DIMENSIONS, fakeEmbedding } from './fake-openai-embeddings.js';
import { reply, startFakeOpenAI, type FakeOpenAI } from './fake-openai.js';

// The fake's POST /v1/embeddings with the official SDK as its client: float and base64 carry the same vectors.
let fake: FakeOpenAI;
let client: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-fake-embeddings' });
  client = new OpenAI({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries: 0 });
});
afterAll(() => fake.close());

it('float and base64 (the SDK default, decoded by it) carry the same deterministic vectors, with usage', async () => {
  const floats = await client.embeddings.create({ model: 'm', input: ['one', 'two'], encoding_format: 'float' });
  const decoded = await client.embeddings.create({ model: 'm', input: ['one', 'two'] });
  expect(floats.data.map((d) => d.embedding)).toEqual([fakeEmbedding('one'), fakeEmbedding('two')]);
  expect(decoded.data.map((d) => Array.from(d.embedding))).toEqual(floats.data.map((d) => d.embedding));
  expect(floats.data[0]?.embedding).toHaveLength(FAKE_EMBEDDING_DIMENSIONS);
  expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  expect(fake.requests.map((r) => (r.body as { encoding_format: string }).encoding_format)).toEqual([
    'float',
    'base64',
  ]);
});

it('dimensions are honoured; a queued script answers before the default', async () => {
  const short = await client.embeddings.create({ model: 'm', input: 'x', dimensions: 4, encoding_format: 'float' });
  expect(short.data[0]?.embedding).toEqual(fakeEmbedding('x', 4));
  fake.enqueue(reply.serverError(500));
  await expect(client.embeddings.create({ model: 'm', input: 'x' })).rejects.toMatchObject({ status: 500 });
});
