import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { reply as anthropicReply, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import {
  functionCallItem,
  messageItem,
  reasoningItem,
  responseBody,
  responsesReply,
  responsesUsage,
} from '../fakes/fake-openai-responses.js';
import { apiFailure } from '../helpers/api-error.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// The native lane: /v1/responses on an OpenAI-backed alias calls the Responses API (the openai SDK's
// responses.create), JSON and stream; the router, ledger and X-Gateway-* headers as for every target; fallback to
// Anthropic translates; chat completions on the same alias stay chat completions.

// The failures these tests script must not open the breaker for the tests after them.
const breaker = { failures: 100, window: 200, cooldownMs: 1000 };
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let chat: ChatGateway;
let db: DynamoDBClient;
beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: 'sk-native-openai' });
  anthropic = await startFakeAnthropic({ apiKey: 'sk-ant-native' });
  process.env.TEST_NATIVE_ANTHROPIC_KEY = anthropic.apiKey;
  chat = await startChatGateway(
    { type: 'openai', baseURL: openai.url, apiKey: openai.apiKey },
    { input: 1, output: 2, cachedInput: 0.5 },
    {
      providers: {
        upstream: { type: 'openai', baseURL: openai.url, apiKeyEnv: 'TEST_OPENAI_UPSTREAM_KEY', timeoutMs: 5000 },
        claude: { type: 'anthropic', baseURL: anthropic.url, apiKeyEnv: 'TEST_NATIVE_ANTHROPIC_KEY', timeoutMs: 5000 },
      },
      models: {
        gpt: { targets: [{ provider: 'upstream', model: 'openai-upstream-model' }], retry: { attempts: 1 }, breaker },
        both: {
          targets: [
            { provider: 'upstream', model: 'openai-upstream-model' },
            { provider: 'claude', model: 'claude-upstream' },
          ],
          retry: { attempts: 1 },
          breaker,
        },
      },
    },
  );
  db = new DynamoDBClient({
    endpoint: chat.gateway.store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});
afterAll(async () => {
  db.destroy();
  await chat.stop();
  await openai.close();
  await anthropic.close();
  delete process.env.TEST_NATIVE_ANTHROPIC_KEY;
});
beforeEach(() => {
  openai.requests.length = 0;
  anthropic.requests.length = 0;
});

const today = () => new Date().toISOString().slice(0, 10);
const totals = async () => {
  await whenAfterResponsesDone(); // the booking is written after the response (lambdas/runtime/after-response.ts)
  const rows = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  const sum = (field: 'inputTokens' | 'outputTokens' | 'cachedTokens' | 'costMicros') =>
    rows.filter((row) => row.alias === 'gpt').reduce((total, row) => total + row[field], 0);
  return {
    input: sum('inputTokens'),
    output: sum('outputTokens'),
    cached: sum('cachedTokens'),
    cost: sum('costMicros'),
  };
};

it('JSON: the Responses API upstream (store: false, include, reasoning), usage with cached tokens to client and ledger', async () => {
  const usage = responsesUsage({ input: 100, output: 20, cached: 40, reasoning: 8 });
  openai.enqueue(
    responsesReply.json(responseBody([reasoningItem(['Plan'], 'enc_1'), messageItem('Bonjour')], { usage })),
  );
  const before = await totals();
  const { data, response } = await chat.client.responses
    .create({
      model: 'gpt',
      instructions: 'Be brief.',
      input: 'Hi',
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low', summary: 'auto' },
      truncation: 'auto',
      store: false,
    })
    .withResponse();
  expect(openai.requests.map((request) => request.path)).toEqual(['/v1/responses']);
  expect(openai.requests[0]?.body).toEqual({
    model: 'openai-upstream-model',
    instructions: 'Be brief.',
    input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hi' }] }],
    store: false,
    stream: false,
    include: ['reasoning.encrypted_content'],
    reasoning: { effort: 'low', summary: 'auto' },
    truncation: 'auto',
  });
  expect(data.output_text).toBe('Bonjour');
  expect(data.usage).toMatchObject({
    input_tokens: 100,
    output_tokens: 20,
    input_tokens_details: { cached_tokens: 40 },
  });
  expect(response.headers.get('x-gateway-provider')).toBe('upstream');
  expect(response.headers.get('x-gateway-ignored')).toBeNull();
  // 60 uncached × 1 + 40 cached × 0.5 + 20 output × 2 = 120 µ$.
  const after = await totals();
  expect({
    input: after.input - before.input,
    output: after.output - before.output,
    cached: after.cached - before.cached,
    cost: after.cost - before.cost,
  }).toEqual({ input: 100, output: 20, cached: 40, cost: 120 });
});

it('stream: the upstream events become the documented sequence; parallel function calls as separate items', async () => {
  const calls = [
    { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
  ];
  openai.enqueue(responsesReply.stream(responseBody([messageItem('Checking.'), ...calls.map(functionCallItem)])));
  const tool = { type: 'function' as const, name: 'get_weather', parameters: { type: 'object' }, strict: false };
  const stream = await chat.client.responses.create({
    model: 'gpt',
    input: 'Weather?',
    tools: [tool],
    stream: true,
    store: false,
  });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  expect(openai.requests[0]).toMatchObject({
    path: '/v1/responses',
    body: { stream: true, store: false, tools: [tool] },
  });
  const done = events.at(-1);
  expect(done?.type).toBe('response.completed');
  const output = done?.type === 'response.completed' ? done.response.output : [];
  expect(output.map((item) => item.type)).toEqual(['message', 'function_call', 'function_call']);
  expect(output.flatMap((item) => (item.type === 'function_call' ? [[item.call_id, item.arguments]] : []))).toEqual(
    calls.map((call) => [call.id, call.arguments]),
  );
});

it('an incomplete answer is status incomplete with max_output_tokens', async () => {
  openai.enqueue(responsesReply.json(responseBody([messageItem('Partial')], { incomplete: 'max_output_tokens' })));
  const response = await chat.client.responses.create({
    model: 'gpt',
    input: 'Long',
    max_output_tokens: 16,
    store: false,
  });
  expect(openai.requests[0]?.body).toMatchObject({ max_output_tokens: 16 });
  expect([response.status, response.incomplete_details?.reason]).toEqual(['incomplete', 'max_output_tokens']);
});

it('fallback: OpenAI 429 → Anthropic translates, and names the Responses fields it drops', async () => {
  openai.enqueue(reply.rateLimit(1));
  anthropic.enqueue(anthropicReply.text('From Claude'));
  const { data, response } = await chat.client.responses
    .create({ model: 'both', input: 'Hi', reasoning: { summary: 'auto' }, truncation: 'auto', store: false })
    .withResponse();
  expect(openai.requests.map((request) => request.path)).toEqual(['/v1/responses']);
  expect(anthropic.requests).toHaveLength(1);
  expect(data.output_text).toBe('From Claude');
  expect(response.headers.get('x-gateway-provider')).toBe('claude');
  expect(response.headers.get('x-gateway-ignored')?.split(',').sort()).toEqual(['reasoning.summary', 'truncation']);
});

it.each([false, true])(
  'a failed response (stream: %s) is the same failure as over HTTP: rate_limit_exceeded is a 429, then falls over',
  async (stream) => {
    const failed = () =>
      responseBody([], { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow.' } });
    const script = () => (stream ? responsesReply.stream(failed()) : responsesReply.json(failed()));
    openai.enqueue(script());
    const alone = await apiFailure(chat.client.responses.create({ model: 'gpt', input: 'Hi', stream, store: false }));
    expect([alone.status, alone.code]).toEqual([429, 'upstream_rate_limited']);
    openai.enqueue(script());
    anthropic.enqueue(anthropicReply.text('Claude again'));
    const response = await chat.client.responses.create({ model: 'both', input: 'Hi', store: false });
    expect(response.output_text).toBe('Claude again');
    expect(openai.requests.map((request) => request.path)).toEqual(['/v1/responses', '/v1/responses']);
  },
);

it('chat completions on the same OpenAI alias still call chat completions', async () => {
  const completion = await chat.client.chat.completions.create({
    model: 'gpt',
    messages: [{ role: 'user', content: 'Echo me' }],
  });
  expect(completion.choices[0]?.message.content).toBe('Echo me');
  expect(openai.requests.map((request) => request.path)).toEqual(['/v1/chat/completions']);
});
