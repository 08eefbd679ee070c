import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { BudgetWarningDetail } from '../../lambdas/budgets/budget-event.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { startFakeEventBridge, type FakeEventBridge } from '../fakes/fake-eventbridge.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { tempDir } from '../helpers/tmp.js';

// Budget warnings through the gateway: the requests whose reservations take the tenant's monthly tokens past 80% of
// its quota put one BudgetThresholdReached event on the bus, after their answers; requests below it put none.
const BUS = 'budget-bus';
const LIMIT = 10_000;

let dir: ReturnType<typeof tempDir>;
let store: EmbeddedStore;
let fake: FakeOpenAI;
let bus: FakeEventBridge;
let gateway: LocalGateway;
let client: OpenAI;

beforeAll(async () => {
  dir = tempDir('budget-warnings');
  store = await startEmbeddedStore(join(dir.path, 'store'));
  fake = await startFakeOpenAI({ apiKey: 'sk-budget' });
  bus = await startFakeEventBridge();
  process.env.TEST_BUDGET_UPSTREAM_KEY = fake.apiKey;
  process.env.EVALUATION_BUS_NAME = BUS;
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = bus.url;
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { upstream: { type: 'openai', baseURL: fake.url, apiKeyEnv: 'TEST_BUDGET_UPSTREAM_KEY' } },
      models: { target: { targets: [{ provider: 'upstream', model: 'm' }], retry: { attempts: 1 } } },
      plans: {
        default: {
          rateLimit: 1000,
          burstLimit: 1000,
          quotas: { tenant: { tokensPerMonth: LIMIT }, reserveOutputTokens: 4_000, leaseRequests: 1, warnAt: [0.8] },
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
    dynamoEndpoint: store.endpoint,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0, timeout: 20_000 });
});

afterAll(async () => {
  await whenAfterResponsesDone();
  await gateway.stop();
  await store.close();
  await fake.close();
  await bus.close();
  delete process.env.EVALUATION_BUS_NAME;
  delete process.env.AWS_ENDPOINT_URL_EVENTBRIDGE;
  delete process.env.TEST_BUDGET_UPSTREAM_KEY;
  dir.remove();
});

const warnings = (): BudgetWarningDetail[] =>
  bus.entries
    .filter((e) => e.Source === 'llm-gateway.budget' && e.DetailType === 'BudgetThresholdReached')
    .map((e) => JSON.parse(e.Detail ?? '{}') as BudgetWarningDetail);

const ask = (maxTokens: number) =>
  client.chat.completions.create({
    model: 'target',
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: maxTokens,
  });

it('requests below 80% of the quota publish nothing; concurrent ones past it publish one warning', async () => {
  await ask(500);
  await whenAfterResponsesDone();
  expect(warnings()).toEqual([]);

  // Each reserves its max_tokens: together they take the month past 80% while in flight.
  await Promise.all([ask(2_800), ask(2_800), ask(2_800)]);
  await whenAfterResponsesDone();
  expect(warnings()).toEqual([
    expect.objectContaining({
      tenant: 'dev',
      scope: 'tenant',
      dimension: 'tokensPerMonth',
      threshold: 0.8,
      period: new Date().toISOString().slice(0, 7),
      limit: LIMIT,
    }),
  ]);
  expect(warnings()[0]).not.toHaveProperty('keyId');
});
