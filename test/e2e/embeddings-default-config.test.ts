import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { apiFailure } from '../helpers/api-error.js';
import { tempDir } from '../helpers/tmp.js';

// `npm start`'s configuration (gateway.config.json) serves embeddings: `demo-embed` on echo without any provider key,
// `embed-small` on OpenAI once OPENAI_API_KEY is set; both listed as embedding models; /openapi.json has the route.
let gateway: LocalGateway;
let client: OpenAI;
const data = tempDir('gw-embed-default');
const openAIKey = process.env.OPENAI_API_KEY;

beforeAll(async () => {
  delete process.env.OPENAI_API_KEY;
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: data.path,
    configFile: 'gateway.config.json',
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
  if (openAIKey !== undefined) process.env.OPENAI_API_KEY = openAIKey;
});

it('demo-embed answers with 256-dimension vectors, the openai SDK on its defaults', async () => {
  const res = await client.embeddings.create({ model: 'demo-embed', input: ['hello', 'world'] });
  expect(res.data.map((item) => item.embedding.length)).toEqual([256, 256]);
  expect(res).toMatchObject({ model: 'demo-embed', usage: { prompt_tokens: 4, total_tokens: 4 } });
});

it('the model list names the kinds; embed-small without a provider key is a 502, not a 500', async () => {
  const kinds = new Map<string, string | undefined>();
  for await (const model of client.models.list()) kinds.set(model.id, (model as { kind?: string }).kind);
  expect([kinds.get('embed-small'), kinds.get('demo-embed'), kinds.get('demo')]).toEqual([
    'embedding',
    'embedding',
    'chat',
  ]);
  const err = await apiFailure(client.embeddings.create({ model: 'embed-small', input: 'hi' }));
  expect([err.status, err.code]).toEqual([502, 'provider_key_missing']);
});

it('/openapi.json documents POST /v1/embeddings', async () => {
  const doc = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
  expect(doc.paths['/v1/embeddings']).toMatchObject({ post: { operationId: 'createEmbedding' } });
});
