import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { startFakeOpenAI } from '../fakes/fake-openai.js';
import { messageItem, responseBody, responsesReply, responsesUsage } from '../fakes/fake-openai-responses.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import { captureEmf, type EmfCapture } from '../observability/emf-capture.js';

// What /v1/responses takes from the one chat service: the X-Gateway-* headers, the ledger and the EMF document with
// hand-computed cost, Idempotency-Key, policies, quotas, errors in OpenAI's shape, and a cut stream that never looks
// complete.

// USD per 1M tokens: 1 input, 2 output → 100 input + 20 output = 100 + 40 = 140 µ$.
const fixture = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-responses' }),
  { input: 1, output: 2 },
  {
    plans: {
      default: {
        rateLimit: 1000,
        burstLimit: 1000,
        policies: { deny: [{ pattern: '\\bproject\\s+bluebird\\b', flags: 'i', message: 'Not discussed here.' }] },
      },
      redacting: {
        rateLimit: 1000,
        burstLimit: 1000,
        policies: { pii: { mode: 'redact', detectors: ['email'] } },
      },
      tiny: { rateLimit: 1000, burstLimit: 1000, quotas: { tenant: { tokensPerMonth: 10 }, reserveOutputTokens: 200 } },
    },
  },
);

let db: DynamoDBClient;
let tiny: OpenAI;
let redacting: OpenAI;
let emf: EmfCapture | undefined;
beforeAll(async () => {
  db = new DynamoDBClient({
    endpoint: fixture.gateway.store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const client = async (tenant: string, plan: string): Promise<OpenAI> => {
    const created = await fetch(`${fixture.gateway.url}/admin/keys`, {
      method: 'POST',
      headers: { Authorization: 'Bearer admin', 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant, plan }),
    });
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    return new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  };
  tiny = await client('tiny-co', 'tiny');
  redacting = await client('careful-co', 'redacting');
});
afterAll(() => db.destroy());
afterEach(() => emf?.stop());

const today = () => new Date().toISOString().slice(0, 10);

it('headers, ledger and EMF: the ledger id is in the response id, the Responses fields go upstream, cost as computed by hand', async () => {
  emf = captureEmf();
  fixture.fake.enqueue(responsesReply.text('ok', { usage: responsesUsage({ input: 100, output: 20 }) }));
  const before = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  const { data, response } = await fixture.client.responses
    .create({
      model: 'target',
      input: 'hi',
      store: false,
      include: ['reasoning.encrypted_content', 'message.output_text.logprobs'],
      truncation: 'auto',
      reasoning: { summary: 'auto' },
    })
    .withResponse();
  expect(response.headers.get('x-gateway-provider')).toBe('upstream');
  expect(response.headers.get('x-gateway-model')).toBe('openai-upstream-model');
  expect(data.id).toBe(`resp_${response.headers.get('x-gateway-ledger-id')}`);
  // An OpenAI target takes reasoning.summary, truncation and include[reasoning.encrypted_content] natively (the
  // Responses API lane); the logprobs include is not carried: dropped and named.
  expect(response.headers.get('x-gateway-ignored')).toBe('include[message.output_text.logprobs]');
  expect(fixture.fake.requests[0]).toMatchObject({
    path: '/v1/responses',
    body: {
      include: ['reasoning.encrypted_content'],
      truncation: 'auto',
      reasoning: { summary: 'auto' },
      store: false,
    },
  });
  await whenAfterResponsesDone(); // the booking is written after the response (lambdas/runtime/after-response.ts)
  const after = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  const total = (rows: typeof after) => rows.reduce((sum, row) => sum + row.costMicros, 0);
  expect(total(after) - total(before)).toBe(140);
  for (let i = 0; i < 100 && !emf.documents.some((d) => 'Requests' in d); i++)
    await new Promise((r) => setTimeout(r, 10));
  expect(emf.documents.filter((d) => 'Requests' in d)).toEqual([
    expect.objectContaining({ Model: 'target', Requests: 1, InputTokens: 100, OutputTokens: 20, CostUSD: 0.00014 }),
  ]);
});

it('Idempotency-Key: a retry gets the stored answer (same id), one upstream call', async () => {
  fixture.fake.enqueue(responsesReply.text('once'));
  const send = () =>
    fixture.client.responses
      .create({ model: 'target', input: 'idem', store: false }, { headers: { 'Idempotency-Key': 'resp-idem-1' } })
      .withResponse();
  const first = await send();
  const second = await send();
  expect(second.data.id).toBe(first.data.id);
  expect(second.response.headers.get('idempotent-replayed')).toBe('true');
  expect(fixture.fake.requests).toHaveLength(1);
});

it('policies, quotas, a forced hosted tool and unknown aliases answer in the OpenAI error shape, before any upstream call', async () => {
  const denied = await apiFailure(
    fixture.client.responses.create({ model: 'target', input: 'About Project Bluebird' }),
  );
  expect([denied.status, denied.code]).toEqual([400, 'policy_violation']);
  const quota = await apiFailure(tiny.responses.create({ model: 'target', input: 'hi' }));
  expect([quota.status, quota.code, quota.type]).toEqual([429, 'insufficient_quota', 'insufficient_quota']);
  const hosted = await apiFailure(
    fixture.client.responses.create({
      model: 'target',
      input: 'news?',
      tools: [
        { type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: false },
        { type: 'web_search' },
      ],
      tool_choice: { type: 'web_search_preview' },
    }),
  );
  expect([hosted.status, hosted.code, hosted.param]).toEqual([400, 'unsupported_parameter', 'tool_choice']);
  expect(hosted.message).toContain('web_search');
  const unknown = await apiFailure(fixture.client.responses.create({ model: 'nope', input: 'hi' }));
  expect([unknown.status, unknown.code, unknown.type]).toEqual([404, 'model_not_found', 'not_found_error']);
  expect(fixture.fake.requests).toHaveLength(0);
});

it('a stream cut upstream ends with response.failed and an error event (the SDK raises it), never response.completed', async () => {
  fixture.fake.enqueue(
    responsesReply.stream(responseBody([messageItem('This answer is cut off early')]), {
      parts: 6,
      disconnectAfterChunks: 6,
    }),
  );
  const stream = await fixture.client.responses.create({ model: 'target', input: 'hi', stream: true, store: false });
  const events: ResponseStreamEvent[] = [];
  const err = await (async () => {
    for await (const event of stream) events.push(event);
  })().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenAI.APIError);
  expect(events.map((event) => event.type)).not.toContain('response.completed');
  expect(events.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed' } });
});

it('PII redaction: a stored response keeps its input as the upstream saw it, redacted', async () => {
  fixture.fake.enqueue(responsesReply.text('Noted'));
  const created = await redacting.responses.create({ model: 'target', input: 'Mail me at ada@example.com' });
  expect(JSON.stringify(fixture.fake.requests[0]?.body)).not.toContain('ada@example.com');
  const items = await redacting.responses.inputItems.list(created.id);
  expect(items.data).toHaveLength(1);
  expect(JSON.stringify(items.data)).toContain('Mail me at');
  expect(JSON.stringify(items.data)).not.toContain('ada@example.com');
});
