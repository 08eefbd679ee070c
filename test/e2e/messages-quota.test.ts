import { RateLimitError } from '@anthropic-ai/sdk';
import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { reply, startFakeOpenAI, textChunks, usage } from '../fakes/fake-openai.js';
import { anthropicFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// /v1/messages goes through the same books as chat: the ledger records the usage the Message reports, the quota
// headers come back, and a request over the budget is refused before any upstream call — in the Anthropic shape.

// USD per 1M tokens: 100 prompt (40 cached) + 20 completion → 60×1 + 40×0.5 + 20×2 = 120 µ$.
const PRICES = { input: 1, cachedInput: 0.5, output: 2 };
const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-messages-quota' }), PRICES, {
  plans: {
    default: {
      rateLimit: 1000,
      burstLimit: 1000,
      quotas: { tenant: { usdPerMonth: 0.0006 }, reserveOutputTokens: 50 },
    },
  },
});

let db: DynamoDBClient;
beforeAll(() => {
  db = new DynamoDBClient({
    endpoint: fixture.gateway.store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});
afterAll(() => db.destroy());

const today = () => new Date().toISOString().slice(0, 10);
const ledger = async () => {
  await whenAfterResponsesDone();
  const rows = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  return rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      inputTokens: sum.inputTokens + row.inputTokens,
      costMicros: sum.costMicros + row.costMicros,
    }),
    { requests: 0, inputTokens: 0, costMicros: 0 },
  );
};
const ask = (content: string) => ({ model: 'target', max_tokens: 20, messages: [{ role: 'user' as const, content }] });
const USAGE = usage({ prompt: 100, completion: 20, cached: 40 });

it('a Message and a stream: the ledger records what they report, with the quota headers', async () => {
  const before = await ledger();
  fixture.fake.enqueue(reply.text('fine', { usage: USAGE }));
  const { data, response } = await fixture.anthropic.messages.create(ask('hello')).withResponse();
  expect(data.usage).toMatchObject({ input_tokens: 60, cache_read_input_tokens: 40, output_tokens: 20 });
  expect(response.headers.get('x-gateway-budget-remaining-usd')).toMatch(/^0\.000\d{3}$/);
  fixture.fake.enqueue(reply.stream(textChunks('streamed', { parts: 2 }), { usage: USAGE }));
  const streamed = await fixture.anthropic.messages.stream(ask('stream')).finalMessage();
  expect(streamed.usage).toMatchObject({ input_tokens: 60, cache_read_input_tokens: 40, output_tokens: 20 });
  expect(await ledger()).toEqual({
    requests: before.requests + 2,
    inputTokens: before.inputTokens + 200,
    costMicros: before.costMicros + 240,
  });
});

it('over the budget: 429 rate_limit_error with error_code insufficient_quota and Retry-After, no upstream call', async () => {
  let refused: unknown;
  for (let i = 0; i < 20 && refused === undefined; i++) {
    fixture.fake.enqueue(reply.text('spend', { usage: USAGE }));
    refused = await fixture.anthropic.messages.create(ask(`spend ${i}`)).then(
      () => undefined,
      (err: unknown) => err,
    );
  }
  const err = await anthropicFailure(Promise.reject(refused));
  expect(err).toBeInstanceOf(RateLimitError);
  expect([err.status, err.type, err.errorCode]).toEqual([429, 'rate_limit_error', 'insufficient_quota']);
  expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
  fixture.fake.requests.length = 0;
  fixture.fake.enqueue(reply.text('never sent'));
  expect((await anthropicFailure(fixture.anthropic.messages.create(ask('refused')))).status).toBe(429);
  expect(fixture.fake.requests).toHaveLength(0);
});
