import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { azureReply, azureUsage, startFakeAzureOpenAI, type FakeAzureOpenAI } from '../fakes/fake-azure-openai.js';
import { fakeEmbedding } from '../fakes/fake-openai-embeddings.js';
import { reply, startFakeOpenAI, TWO_WEATHER_CALLS, toolCallChunks, type FakeOpenAI } from '../fakes/fake-openai.js';
import { apiFailure, anthropicFailure } from '../helpers/api-error.js';
import { ledgerOf } from '../helpers/ledger.js';
import { tempDir } from '../helpers/tmp.js';

// An `azure-openai` provider end to end, with the openai SDK (default settings) against the gateway and the fake
// Azure OpenAI data plane behind it: deployment paths, api-version, api-key (or an Entra ID token), JSON, streams,
// tools, embeddings, the content filter (a filtered answer finishes content_filter; a blocked prompt is a 400
// content_filtered, not retried nor failed over), and Azure's 429 failing over to OpenAI.
const dir = tempDir('gw-azure');
let azure: FakeAzureOpenAI;
let openai: FakeOpenAI;
let gateway: LocalGateway;
const ENV = {
  TEST_AZURE_KEY: '',
  TEST_AZURE_WRONG_KEY: 'not-the-key',
  TEST_AZURE_ENTRA: '',
  TEST_AZURE_ENTRA_BAD: '',
  TEST_AZURE_OPENAI_KEY: '',
};

beforeAll(async () => {
  azure = await startFakeAzureOpenAI();
  openai = await startFakeOpenAI({ apiKey: 'sk-azure-fallback' });
  ENV.TEST_AZURE_KEY = azure.apiKey;
  ENV.TEST_AZURE_ENTRA = JSON.stringify({ ...azure.entra, authorityHost: azure.url });
  ENV.TEST_AZURE_ENTRA_BAD = JSON.stringify({ ...azure.entra, clientSecret: 'wrong', authorityHost: azure.url });
  ENV.TEST_AZURE_OPENAI_KEY = openai.apiKey;
  Object.assign(process.env, ENV);
  const once = { retry: { attempts: 1 }, breaker: { failures: 1000 } };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        azure: { type: 'azure-openai', endpoint: azure.url, apiVersion: '2024-10-21', apiKeyEnv: 'TEST_AZURE_KEY' },
        entra: { type: 'azure-openai', endpoint: azure.url, auth: 'entra', apiKeyEnv: 'TEST_AZURE_ENTRA' },
        wrongKey: { type: 'azure-openai', endpoint: azure.url, apiKeyEnv: 'TEST_AZURE_WRONG_KEY' },
        entraBad: { type: 'azure-openai', endpoint: azure.url, auth: 'entra', apiKeyEnv: 'TEST_AZURE_ENTRA_BAD' },
        openai: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'TEST_AZURE_OPENAI_KEY' },
      },
      models: {
        azure: { ...once, targets: [{ provider: 'azure', model: 'gpt-4o-deploy' }] },
        entra: { ...once, targets: [{ provider: 'entra', model: 'gpt-4o-deploy' }] },
        'wrong-key': { ...once, targets: [{ provider: 'wrongKey', model: 'gpt-4o-deploy' }] },
        'no-deployment': { ...once, targets: [{ provider: 'azure', model: 'missing-deploy' }] },
        'entra-bad': { ...once, targets: [{ provider: 'entraBad', model: 'gpt-4o-deploy' }] },
        'entra-bad-fallback': {
          ...once,
          targets: [
            { provider: 'entraBad', model: 'gpt-4o-deploy' },
            { provider: 'openai', model: 'gpt-4o-mini' },
          ],
        },
        both: {
          ...once,
          targets: [
            { provider: 'azure', model: 'gpt-4o-deploy' },
            { provider: 'openai', model: 'gpt-4o-mini' },
          ],
        },
        vectors: { kind: 'embedding', targets: [{ provider: 'azure', model: 'embed-deploy', dimensions: 1536 }] },
      },
      prices: { azure: { 'gpt-4o-deploy': { input: 2.5, cachedInput: 1.25, output: 10 } } },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
});
afterAll(async () => {
  await gateway.stop();
  await azure.close();
  await openai.close();
  for (const name of Object.keys(ENV)) delete process.env[name];
  dir.remove();
});
beforeEach(() => {
  azure.requests.length = 0;
  openai.requests.length = 0;
});

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key });
const ask = (content: string, model = 'azure') => ({ model, messages: [{ role: 'user' as const, content }] });

it('JSON: the deployment path, api-version and api-key; the answer without Azure filter fields; cost booked', async () => {
  azure.enqueue(azureReply.text('Hello from Azure', azureUsage(2_000, 100, 1_000)));
  const { data, response } = await client().chat.completions.create(ask('Hi')).withResponse();
  expect(data.choices[0]?.message.content).toBe('Hello from Azure');
  expect(data.usage).toMatchObject({ prompt_tokens: 2_000, completion_tokens: 100 });
  expect(JSON.stringify(data)).not.toMatch(/filter_results/);
  expect(response.headers.get('x-gateway-provider')).toBe('azure');
  const [sent] = azure.requests;
  expect(sent?.path).toBe('/openai/deployments/gpt-4o-deploy/chat/completions?api-version=2024-10-21');
  expect(sent?.headers['api-key']).toBe(azure.apiKey);
  expect(sent?.headers.authorization).toBeUndefined();
  // 1,000 uncached × 2.5 + 1,000 cached × 1.25 + 100 × 10 per 1M = 4,750 µ$.
  const { records } = await ledgerOf(gateway.store.endpoint);
  expect(records.at(-1)?.costMicros?.N).toBe('4750');
});

it('stream: text through the prompt-filter chunk and the annotation chunk without a delta; usage counted', async () => {
  const stream = await client().chat.completions.create({
    ...ask('streamed words'),
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const chunks: unknown[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  expect(text).toBe('streamed words');
  expect(JSON.stringify(chunks)).not.toMatch(/filter_results|filter_offsets/);
  expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 4 } });
  expect(azure.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

it('tools: parallel tool calls in a stream with distinct indices', async () => {
  azure.enqueue(azureReply.stream(toolCallChunks()));
  const stream = await client().chat.completions.create({
    ...ask('weather?'),
    stream: true,
    tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
  });
  const args = new Map<number, string>();
  for await (const chunk of stream) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
      args.set(call.index, (args.get(call.index) ?? '') + (call.function?.arguments ?? ''));
    }
  }
  expect([...args.values()]).toEqual(TWO_WEATHER_CALLS.map((call) => call.arguments));
  expect(azure.requests[0]?.body).toMatchObject({ tools: [{ function: { name: 'get_weather' } }] });
});

it('embeddings: the embeddings deployment, vectors in order', async () => {
  const answer = await client().embeddings.create({ model: 'vectors', input: ['one', 'two'] });
  expect(answer.data.map((item) => item.embedding)).toEqual([fakeEmbedding('one'), fakeEmbedding('two')]);
  expect(azure.requests[0]?.path).toBe('/openai/deployments/embed-deploy/embeddings?api-version=2024-10-21');
});

it('an answer the output filter stopped: finish_reason content_filter (JSON and stream), not an error', async () => {
  azure.enqueue(azureReply.filteredAnswer(), azureReply.filteredStream('Partial answer'));
  const json = await client().chat.completions.create(ask('tell me'));
  expect(json.choices[0]).toMatchObject({ finish_reason: 'content_filter', message: { content: null } });
  const stream = await client().chat.completions.create({ ...ask('tell me'), stream: true });
  let finish: string | null | undefined;
  for await (const chunk of stream) finish = chunk.choices[0]?.finish_reason ?? finish;
  expect(finish).toBe('content_filter');
});

it('a prompt the filter blocked: 400 content_filtered naming the category, one try, no fallback (also /v1/messages)', async () => {
  azure.enqueue(azureReply.promptBlocked(), azureReply.promptBlocked());
  const error = await apiFailure(client().chat.completions.create(ask('jailbreak attempt', 'both')));
  expect(error.status).toBe(400);
  expect(error.code).toBe('content_filtered');
  expect(error.message).toMatch(/content filter \(jailbreak\)/);
  expect(azure.requests).toHaveLength(1);
  expect(openai.requests).toHaveLength(0);
  const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.devKey.key, maxRetries: 0 });
  const refused = await anthropicFailure(
    anthropic.messages.create({ ...ask('jailbreak attempt', 'both'), max_tokens: 16 }),
  );
  expect(refused.status).toBe(400);
  expect(openai.requests).toHaveLength(0);
});

it('Azure rate limited (429): the request fails over to OpenAI', async () => {
  azure.enqueue(azureReply.rateLimit(30));
  openai.enqueue(reply.text('from openai'));
  const { data, response } = await client().chat.completions.create(ask('Hi', 'both')).withResponse();
  expect(data.choices[0]?.message.content).toBe('from openai');
  expect(response.headers.get('x-gateway-provider')).toBe('openai');
  expect(azure.requests).toHaveLength(1);
});

it('Entra ID: a client-credentials token from the secret, sent as Bearer (no api-key), fetched once', async () => {
  const first = await client().chat.completions.create(ask('one', 'entra'));
  const second = await client().chat.completions.create(ask('two', 'entra'));
  expect([first.choices[0]?.message.content, second.choices[0]?.message.content]).toEqual(['one', 'two']);
  expect(azure.requests.map((r) => r.headers.authorization)).toEqual(['Bearer eyJfake.1', 'Bearer eyJfake.1']);
  expect(azure.requests[0]?.headers['api-key']).toBeUndefined();
});

it('Entra ID refused (a wrong client secret): 502 provider_authentication_failed, the next target serves', async () => {
  const error = await apiFailure(client().chat.completions.create(ask('Hi', 'entra-bad')));
  expect({ status: error.status, code: error.code }).toEqual({ status: 502, code: 'provider_authentication_failed' });
  expect(error.message).not.toMatch(/wrong/);
  expect(azure.requests).toHaveLength(0);
  openai.enqueue(reply.text('from openai'));
  const answer = await client().chat.completions.create(ask('Hi', 'entra-bad-fallback'));
  expect(answer.choices[0]?.message.content).toBe('from openai');
});

it("a wrong key: 502 provider_authentication_failed without Azure's text; an unknown deployment: 502", async () => {
  const denied = await apiFailure(client().chat.completions.create(ask('Hi', 'wrong-key')));
  expect({ status: denied.status, code: denied.code }).toEqual({ status: 502, code: 'provider_authentication_failed' });
  expect(denied.message).not.toMatch(/subscription key/);
  expect(azure.requests[0]?.headers['api-key']).toBe('not-the-key');
  const missing = await apiFailure(client().chat.completions.create(ask('Hi', 'no-deployment')));
  expect({ status: missing.status, code: missing.code }).toEqual({ status: 502, code: 'upstream_model_not_found' });
  expect(azure.requests[1]?.path).toBe('/openai/deployments/missing-deploy/chat/completions?api-version=2024-10-21');
});

it('the other formats on an Azure alias: /v1/messages (Anthropic SDK) and /v1/responses (openai SDK)', async () => {
  const anthropic = new Anthropic({ baseURL: gateway.url, apiKey: gateway.devKey.key });
  const message = await anthropic.messages.create({ ...ask('via messages'), max_tokens: 64 });
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'via messages' })]);
  const response = await client().responses.create({ model: 'azure', input: 'via responses' });
  expect(response.output_text).toBe('via responses');
  expect(azure.requests.map((r) => r.deployment)).toEqual(['gpt-4o-deploy', 'gpt-4o-deploy']);
});
