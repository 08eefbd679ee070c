import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { DynamoDBClient, GetItemCommand } from '../../lambdas/aws-http/dynamodb.js';
import type { EventBridgeEvent } from 'aws-lambda';
import OpenAI from 'openai';
import { handler as rebook } from '../../lambdas/handlers/ledger-rebook.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import type { Item } from '../../lambdas/store/attributes.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { lambdaContext } from '../../local/lambda-context.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { startFakeEventBridge, type FakeEventBridge } from '../fakes/fake-eventbridge.js';
import { reply, startFakeOpenAI, textChunks, usage, type FakeOpenAI } from '../fakes/fake-openai.js';
import { anthropicClient } from '../helpers/chat-gateway.js';
import { startStoreGate, type StoreGate } from '../helpers/store-gate.js';
import { tempDir } from '../helpers/tmp.js';

// The Lambda path (no journal): the answer — a JSON body, a stream's last event with its usage — reaches the client
// before the booking is written, and the invocation (the local server runs the same streaming function) ends only
// once the booking is durable: written, retried, or deferred to the bus and re-booked there exactly once. The store
// sits behind a gate that holds or fails the ledger's TransactWriteItems.

// USD per 1M tokens: 100 prompt (40 cached) + 20 completion → 60×1 + 40×0.5 + 20×2 = 120 µ$.
const PRICES = { input: 1, cachedInput: 0.5, output: 2 };
const USAGE = usage({ prompt: 100, completion: 20, cached: 40 });
const BUS = 'gateway-bus';

let dir: ReturnType<typeof tempDir>;
let store: EmbeddedStore;
let gate: StoreGate;
let fake: FakeOpenAI;
let bus: FakeEventBridge;
let gateway: LocalGateway;
let client: OpenAI;
let anthropic: Anthropic;
let db: DynamoDBClient;

beforeAll(async () => {
  dir = tempDir('booking-after');
  store = await startEmbeddedStore(join(dir.path, 'store'));
  gate = await startStoreGate(store.endpoint);
  fake = await startFakeOpenAI({ apiKey: 'sk-after' });
  bus = await startFakeEventBridge();
  process.env.TEST_AFTER_UPSTREAM_KEY = fake.apiKey;
  process.env.EVALUATION_BUS_NAME = BUS;
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { upstream: { type: 'openai', baseURL: fake.url, apiKeyEnv: 'TEST_AFTER_UPSTREAM_KEY' } },
      models: { target: { targets: [{ provider: 'upstream', model: 'm' }], retry: { attempts: 1 } } },
      prices: { upstream: { m: PRICES } },
      plans: {
        default: {
          rateLimit: 1000,
          burstLimit: 1000,
          quotas: { tenant: { tokensPerMonth: 1_000_000 }, reserveOutputTokens: 200, leaseRequests: 1 },
        },
      },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile,
    adminKey: 'admin',
    dynamoEndpoint: gate.url,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0, timeout: 20_000 });
  anthropic = anthropicClient(gateway.url, gateway.devKey.key);
  db = new DynamoDBClient({
    endpoint: store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});

afterAll(async () => {
  gate.release();
  await gateway.stop();
  db.destroy();
  await gate.close();
  await store.close();
  await fake.close();
  await bus.close();
  delete process.env.EVALUATION_BUS_NAME;
  delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  delete process.env.TEST_AFTER_UPSTREAM_KEY;
  dir.remove();
});

afterEach(async () => {
  gate.release();
  gate.failNext(0);
  await whenAfterResponsesDone();
});

/** The request record, read from the store itself (not through the gate, not waiting for anything). */
async function recordOf(ledgerId: string | null): Promise<Item | undefined> {
  const out = await db.send(
    new GetItemCommand({
      TableName: gatewayTable.id,
      Key: { pk: { S: `REQ#${ledgerId ?? ''}` }, sk: { S: 'REQ' } },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

/** Today's requests and cost in the usage counters, and the tenant's quota tokens this month. */
async function books(): Promise<{ requests: number; costMicros: number; quotaTokens: number }> {
  const today = new Date().toISOString().slice(0, 10);
  const rows = await readUsage(db, gatewayTable.id, 'dev', today, today);
  // The quota as a reservation reads it: the quota item and its settle items (quota-items.ts).
  const quota = await readScopeUsage(db, gatewayTable.id, 'QUOTA#TENANT#dev', today.slice(0, 7));
  return {
    requests: rows.reduce((sum, row) => sum + row.requests, 0),
    costMicros: rows.reduce((sum, row) => sum + row.costMicros, 0),
    quotaTokens: quota.tokens,
  };
}

/** Whether the invocations of the answers so far have ended (their work after the response done). */
function invocationsEnded(): () => boolean {
  let ended = false;
  void whenAfterResponsesDone().then(() => {
    ended = true;
  });
  return () => ended;
}

const ask = (content: string) => ({ model: 'target', messages: [{ role: 'user' as const, content }] });

it('a JSON answer reaches the client while its booking is held; the invocation ends once it is written', async () => {
  gate.hold();
  fake.enqueue(reply.text('fine', { usage: USAGE }));
  const { data, response } = await client.chat.completions.create(ask('json')).withResponse();
  expect(data.choices[0]?.message.content).toBe('fine');
  expect(data.usage?.total_tokens).toBe(120);
  expect(response.headers.get('x-gateway-quota-remaining-tokens')).not.toBeNull();
  await gate.held(1);
  const ended = invocationsEnded();
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  expect(await recordOf(ledgerId)).toBeUndefined();
  expect(ended()).toBe(false);
  gate.release();
  await whenAfterResponsesDone();
  expect(ended()).toBe(true);
  expect(await recordOf(ledgerId)).toBeDefined();
});

it("a stream's end and its usage reach the client while its booking is held", async () => {
  gate.hold();
  fake.enqueue(reply.stream(textChunks('streamed answer', { parts: 3 }), { usage: USAGE }));
  const { data: stream, response } = await client.chat.completions
    .create({ ...ask('stream'), stream: true, stream_options: { include_usage: true } })
    .withResponse();
  let text = '';
  let total: number | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) total = chunk.usage.total_tokens;
  }
  expect([text, total]).toEqual(['streamed answer', 120]);
  await gate.held(1);
  const ended = invocationsEnded();
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  expect(await recordOf(ledgerId)).toBeUndefined();
  expect(ended()).toBe(false);
  gate.release();
  await whenAfterResponsesDone();
  expect(await recordOf(ledgerId)).toBeDefined();
});

it("an Anthropic stream's message_stop reaches the client while its booking is held", async () => {
  gate.hold();
  fake.enqueue(reply.stream(textChunks('hello there', { parts: 2 }), { usage: USAGE }));
  const stream = anthropic.messages.stream({
    model: 'target',
    max_tokens: 50,
    messages: [{ role: 'user', content: 'a' }],
  });
  const message = await stream.finalMessage();
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'hello there' })]);
  expect(message.usage.output_tokens).toBe(20);
  await gate.held(1);
  expect(invocationsEnded()()).toBe(false);
  gate.release();
  await whenAfterResponsesDone();
});

it('an Idempotency-Key replay finds the stored answer while the first booking is still held', async () => {
  gate.hold();
  fake.enqueue(reply.text('once', { usage: USAGE }));
  const options = { headers: { 'Idempotency-Key': 'after-response' } };
  const first = await client.chat.completions.create(ask('idem'), options);
  await gate.held(1);
  const again = await client.chat.completions.create(ask('idem'), options).withResponse();
  expect(again.data).toEqual(first);
  expect(again.response.headers.get('idempotent-replayed')).toBe('true');
  gate.release();
});

it('a booking whose write fails twice is written on the third try, once', async () => {
  const before = await books();
  const sent = gate.transactions();
  // The SDK tries each write 3 times (lambdas/store/client.ts): 6 refused calls are two failed booking writes.
  gate.failNext(6);
  fake.enqueue(reply.text('retried', { usage: USAGE }));
  const { response } = await client.chat.completions.create(ask('retry')).withResponse();
  await whenAfterResponsesDone();
  expect(gate.transactions() - sent).toBe(7);
  expect(await recordOf(response.headers.get('x-gateway-ledger-id'))).toBeDefined();
  const after = await books();
  expect([after.requests - before.requests, after.costMicros - before.costMicros]).toEqual([1, 120]);
  expect(after.quotaTokens - before.quotaTokens).toBe(120);
  expect(bus.entries).toHaveLength(0);
});

it('a booking the store keeps refusing is deferred to the bus and re-booked once, even when delivered twice', async () => {
  const before = await books();
  gate.failNext(1_000);
  fake.enqueue(reply.text('deferred', { usage: USAGE }));
  const { data, response } = await client.chat.completions.create(ask('defer')).withResponse();
  expect(data.choices[0]?.message.content).toBe('deferred');
  await whenAfterResponsesDone();
  const ledgerId = response.headers.get('x-gateway-ledger-id');
  expect(await recordOf(ledgerId)).toBeUndefined();
  expect(bus.entries).toHaveLength(1);
  const [entry] = bus.entries;
  expect(entry).toMatchObject({ EventBusName: BUS, Source: 'llm-gateway.ledger', DetailType: 'LedgerBookingDeferred' });
  gate.failNext(0);
  const event = {
    version: '0',
    id: 'deferred-1',
    'detail-type': entry?.DetailType ?? '',
    source: entry?.Source ?? '',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: JSON.parse(entry?.Detail ?? '{}') as unknown,
  } satisfies EventBridgeEvent<string, unknown>;
  await rebook(event, lambdaContext('ledger-rebook', 30_000));
  await rebook(event, lambdaContext('ledger-rebook', 30_000));
  expect(await recordOf(ledgerId)).toBeDefined();
  const after = await books();
  expect([after.requests - before.requests, after.costMicros - before.costMicros]).toEqual([1, 120]);
  expect(after.quotaTokens - before.quotaTokens).toBe(120);
});
