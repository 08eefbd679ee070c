import { createOpenAI } from '@ai-sdk/openai';
import { OpenAIEmbeddings } from '@langchain/openai';
import { embed, embedMany } from 'ai';
import { fakeEmbedding } from '../fakes/fake-openai-embeddings.js';
import { anthropicFailure, apiFailure } from '../helpers/api-error.js';
import { anthropicClient } from '../helpers/chat-gateway.js';
import { startEmbeddingsGateway, type EmbeddingsGateway } from '../helpers/embeddings-gateway.js';

// POST /v1/embeddings with the real clients on their defaults → the gateway → a fake OpenAI: the openai SDK (base64
// on the wire by default, decoded by the SDK; float when asked), the AI SDK's embed/embedMany, LangChain's
// OpenAIEmbeddings; the model list's kinds; the wrong kind of alias and bad input answered 400 in OpenAI's shape.

let gw: EmbeddingsGateway;
beforeAll(async () => {
  gw = await startEmbeddingsGateway();
});
afterAll(() => gw.stop());
beforeEach(() => {
  gw.primary.requests.length = 0;
});

const sent = (index = 0) => gw.primary.requests[index]?.body as Record<string, unknown>;

describe('the openai SDK', () => {
  it('embeddings.create with its defaults: base64 asked and passed through, the SDK decodes the same floats', async () => {
    const { data, response } = await gw.client.embeddings
      .create({ model: 'embed', input: 'The quick brown fox' })
      .withResponse();
    expect(data.model).toBe('embed');
    expect(data.data).toHaveLength(1);
    expect(Array.from(data.data[0]?.embedding ?? [])).toEqual(fakeEmbedding('The quick brown fox'));
    expect(data.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
    expect(sent()).toMatchObject({
      model: 'text-embedding-3-small',
      input: ['The quick brown fox'],
      encoding_format: 'base64',
    });
    expect(response.headers.get('x-gateway-provider')).toBe('primary');
    expect(response.headers.get('x-gateway-ledger-id')).toMatch(/^req_/);
  });

  it('encoding_format float, three inputs, dimensions and user: floats in input order', async () => {
    const input = ['alpha', 'beta', 'gamma'];
    const res = await gw.client.embeddings.create({
      model: 'embed',
      input,
      encoding_format: 'float',
      dimensions: 256,
      user: 'u-1',
    });
    expect(res.data.map((item) => [item.object, item.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
      ['embedding', 2],
    ]);
    expect(res.data.map((item) => item.embedding)).toEqual(input.map((text) => fakeEmbedding(text, 256)));
    expect(sent()).toMatchObject({ encoding_format: 'float', dimensions: 256, user: 'u-1' });
  });

  it('token arrays are embedded as tokens', async () => {
    const res = await gw.client.embeddings.create({
      model: 'embed',
      input: [[1, 2, 3], [4]],
      encoding_format: 'float',
    });
    expect(res.data.map((item) => item.embedding)).toEqual([fakeEmbedding([1, 2, 3]), fakeEmbedding([4])]);
    expect(res.usage.prompt_tokens).toBe(4);
  });

  it('the echo provider: deterministic vectors of the alias dimensions, base64 encoded from floats', async () => {
    const first = await gw.client.embeddings.create({ model: 'embed-echo', input: ['same', 'other'] });
    const again = await gw.client.embeddings.create({ model: 'embed-echo', input: 'same', encoding_format: 'float' });
    expect(first.data[0]?.embedding).toHaveLength(16);
    expect(Array.from(first.data[0]?.embedding ?? [])).toEqual(again.data[0]?.embedding);
    expect(first.data[1]?.embedding).not.toEqual(first.data[0]?.embedding);
  });

  it('models.list parses and says which aliases are chat and which embedding', async () => {
    const models = [];
    for await (const model of gw.client.models.list()) models.push(model);
    expect(models.map((model) => [model.id, (model as { kind?: string }).kind])).toEqual([
      ['embed', 'embedding'],
      ['embed-fallback', 'embedding'],
      ['embed-echo', 'embedding'],
      ['chat', 'chat'],
    ]);
    expect(await gw.client.models.retrieve('embed')).toMatchObject({ id: 'embed', kind: 'embedding' });
  });
});

it('the AI SDK: embed and embedMany through @ai-sdk/openai .embedding(id)', async () => {
  const openai = createOpenAI({ baseURL: `${gw.gateway.url}/v1`, apiKey: gw.gateway.devKey.key });
  const one = await embed({ model: openai.embedding('embed'), value: 'sunny day at the beach' });
  expect(one.embedding).toEqual(fakeEmbedding('sunny day at the beach'));
  const many = await embedMany({ model: openai.embedding('embed'), values: ['rainy', 'snowy', 'windy'] });
  expect(many.embeddings).toEqual(['rainy', 'snowy', 'windy'].map((text) => fakeEmbedding(text)));
  expect(many.usage.tokens).toBe(6);
});

it('LangChain OpenAIEmbeddings: embedDocuments and embedQuery, no tokenizer download', async () => {
  const embeddings = new OpenAIEmbeddings({
    model: 'embed',
    apiKey: gw.gateway.devKey.key,
    configuration: { baseURL: `${gw.gateway.url}/v1` },
  });
  const docs = await embeddings.embedDocuments(['first document', 'second document']);
  expect(docs).toEqual([fakeEmbedding('first document'), fakeEmbedding('second document')]);
  expect(await embeddings.embedQuery('a question')).toEqual(fakeEmbedding('a question'));
  expect(gw.primary.requests).toHaveLength(2);
});

describe('the wrong kind of alias: 400 naming the kind, nothing upstream', () => {
  it('a chat alias on /v1/embeddings', async () => {
    const err = await apiFailure(gw.client.embeddings.create({ model: 'chat', input: 'hi' }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: 'invalid_request_error', code: 'wrong_model_kind', param: 'model' });
    expect(err.message).toContain('"chat" is a chat model alias; use it on /v1/chat/completions');
    expect(gw.primary.requests).toHaveLength(0);
  });

  it('an embedding alias on /v1/chat/completions and on /v1/messages (Anthropic shape)', async () => {
    const chat = await apiFailure(
      gw.client.chat.completions.create({ model: 'embed', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect([chat.status, chat.code]).toEqual([400, 'wrong_model_kind']);
    expect(chat.message).toContain('"embed" is an embedding model alias; use it on /v1/embeddings');
    const messages = await anthropicFailure(
      anthropicClient(gw.gateway.url, gw.gateway.devKey.key).messages.create({
        model: 'embed',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(messages.status).toBe(400);
    expect(messages.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(gw.primary.requests).toHaveLength(0);
  });
});

describe('bad input: 400 in OpenAI shape, never 500, nothing upstream', () => {
  const post = async (body: unknown) => {
    const res = await fetch(`${gw.gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${gw.gateway.devKey.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { error: Record<string, unknown> } };
  };
  const cases: [string, unknown, string][] = [
    ['an empty array', [], 'input'],
    ['an empty string', '', 'input'],
    ['2,049 inputs', Array.from({ length: 2049 }, () => 'x'), 'input'],
    ['a number', 42, 'input'],
    ['strings mixed with numbers', ['a', 1], 'input'],
    ['an object', { text: 'a' }, 'input'],
    ['a negative token', [[-1]], 'input[0][0]'],
    ['an input over 8,192 tokens', ['x'.repeat(4 * 8192 + 4)], 'input[0]'],
    // As token arrays: 300,000 tokens of text is over 1.2 MB, beyond the default maxRequestBytes (413).
    ['over 300,000 tokens in all', Array.from({ length: 40 }, () => new Array<number>(8000).fill(1)), 'input'],
  ];
  it.each(cases)('%s', async (_name, input, param) => {
    const res = await post({ model: 'embed', input });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request_body', param });
    expect(gw.primary.requests).toHaveLength(0);
  });

  it('an unknown field, a wrong encoding_format, dimensions above the alias', async () => {
    expect((await post({ model: 'embed', input: 'a', extra: 1 })).status).toBe(400);
    expect((await post({ model: 'embed', input: 'a', encoding_format: 'int8' })).body.error).toMatchObject({
      param: 'encoding_format',
    });
    const tooWide = await post({ model: 'embed', input: 'a', dimensions: 4096 });
    expect([tooWide.status, tooWide.body.error.param, tooWide.body.error.code]).toEqual([
      400,
      'dimensions',
      'unsupported_parameter',
    ]);
    expect(gw.primary.requests).toHaveLength(0);
  });
});
