import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { closeBedrockClients } from '../../lambdas/providers/bedrock/bedrock-client.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { embedReply, startFakeBedrockEmbed, type FakeBedrockEmbed } from '../fakes/fake-bedrock-embed.js';
import { tempDir } from '../helpers/tmp.js';
import { ledgerOf } from '../helpers/ledger.js';

/**
 * Bedrock embeddings end to end: the openai SDK's embeddings.create on an embedding alias whose target is Titan Text
 * Embeddings v2 on Bedrock (the provider's `embed`, InvokeModel through the fake runtime), with the ledger's cost.
 */
const TITAN = 'amazon.titan-embed-text-v2:0';
const dir = tempDir('gw-bedrock-embed');
let fake: FakeBedrockEmbed;
let gateway: LocalGateway;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeBedrockEmbed();
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = fake.url;
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { bedrock: { type: 'bedrock', region: 'eu-west-1', timeoutMs: 5000 } },
      models: {
        vectors: {
          kind: 'embedding',
          targets: [{ provider: 'bedrock', model: TITAN, dimensions: 512 }],
          retry: { attempts: 1 },
        },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      prices: { bedrock: { [TITAN]: { input: 100 } } },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
});

afterAll(async () => {
  await gateway.stop();
  closeBedrockClients();
  await fake.close();
  delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
  dir.remove();
});

it('embeddings.create on a Bedrock alias: one InvokeModel per text in the provider region, vectors and cost booked', async () => {
  const { data, response } = await client.embeddings
    .create({ model: 'vectors', input: ['first text', 'second text'], dimensions: 512 })
    .withResponse();
  expect(data.data.map((item) => [item.index, item.embedding.length])).toEqual([
    [0, 512],
    [1, 512],
  ]);
  expect(fake.requests.map((request) => [request.modelId, request.region, request.body.dimensions])).toEqual([
    [TITAN, 'eu-west-1', 512],
    [TITAN, 'eu-west-1', 512],
  ]);
  const tokens = data.usage.prompt_tokens;
  expect(tokens).toBeGreaterThan(0);
  expect(response.headers.get('x-gateway-provider')).toBe('bedrock');
  const { counters } = await ledgerOf(gateway.store.endpoint);
  // $100 per million input tokens (a price that shows): 100 micro-dollars a token.
  expect(counters.reduce((sum, row) => sum + row.costMicros, 0)).toBe(100 * tokens);
  expect(counters.reduce((sum, row) => sum + row.inputTokens, 0)).toBe(tokens);
});

it('a throttled Bedrock call is a 429 in OpenAI shape, not a 5xx', async () => {
  fake.enqueue(embedReply.throttled());
  const err = await client.embeddings
    .create({ model: 'vectors', input: 'x', dimensions: 512 })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.RateLimitError);
});
