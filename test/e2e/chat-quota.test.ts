import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { whenAfterResponsesDone } from '../../lambdas/runtime/after-response.js';
import { reply, startFakeOpenAI, textChunks, usage } from '../fakes/fake-openai.js';
import { apiFailure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Quotas on the chat path, through the openai SDK: a reservation before the upstream call, settled at the actual
// usage in the ledger's transaction; 429 insufficient_quota (no upstream call) when a request does not fit; headers
// with what is left; failures release the reservation; an idempotent retry is charged once. One reservation per
// request here (leaseRequests: 1), so the quota items show each request's settle exactly; leases: test/quota.

// USD per 1M tokens: 100 prompt (40 cached) + 20 completion → 60×1 + 40×0.5 + 20×2 = 120 µ$.
const PRICES = { input: 1, cachedInput: 0.5, output: 2 };
const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-quota' }), PRICES, {
  plans: {
    default: {
      rateLimit: 1000,
      burstLimit: 1000,
      quotas: {
        tenant: { tokensPerMonth: 100_000, usdPerMonth: 0.002 },
        key: { tokensPerDay: 50_000 },
        reserveOutputTokens: 200,
        leaseRequests: 1,
      },
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

const month = () => new Date().toISOString().slice(0, 7);
const today = () => new Date().toISOString().slice(0, 10);
/** A scope's month as the gateway reads it: its quota (sub-)items and their settle items (quota-items.ts). */
const quotaUsage = (pk: string) => readScopeUsage(db, gatewayTable.id, pk, month());
const spent = async () => {
  await whenAfterResponsesDone();
  const tenant = await quotaUsage('QUOTA#TENANT#dev');
  const key = await quotaUsage(`QUOTA#KEY#${fixture.gateway.devKey.id}`);
  return {
    tenantTokens: tenant.tokens,
    tenantMicros: tenant.micros,
    keyDayTokens: key.days.get(today().slice(8)) ?? 0,
  };
};
const ledgerTotals = async () => {
  await whenAfterResponsesDone();
  const rows = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  return rows.reduce(
    (sum, row) => ({ requests: sum.requests + row.requests, costMicros: sum.costMicros + row.costMicros }),
    { requests: 0, costMicros: 0 },
  );
};
const ask = (content: string) => ({ model: 'target', messages: [{ role: 'user' as const, content }], max_tokens: 50 });
const USAGE = usage({ prompt: 100, completion: 20, cached: 40 });

it('a served request: settled at the actual usage, in the ledger and both quota scopes, with the headers of what is left', async () => {
  const before = await spent();
  const ledgerBefore = await ledgerTotals();
  fixture.fake.enqueue(reply.text('fine', { usage: USAGE }));
  const { data, response } = await fixture.client.chat.completions.create(ask('hello')).withResponse();
  expect(data.usage?.prompt_tokens).toBe(100);
  const after = await spent();
  expect(after.tenantTokens - before.tenantTokens).toBe(120);
  expect(after.tenantMicros - before.tenantMicros).toBe(120);
  expect(after.keyDayTokens - before.keyDayTokens).toBe(120);
  expect(await ledgerTotals()).toEqual({
    requests: ledgerBefore.requests + 1,
    costMicros: ledgerBefore.costMicros + 120,
  });
  // After its reservation (estimate + max_tokens 50), before the settle: at most the limits less what was spent.
  const tokensLeft = Number(response.headers.get('x-gateway-quota-remaining-tokens'));
  expect(tokensLeft).toBeGreaterThan(0);
  expect(tokensLeft).toBeLessThanOrEqual(50_000 - before.keyDayTokens - 50);
  expect(response.headers.get('x-gateway-budget-remaining-usd')).toMatch(/^0\.00\d{4}$/);
});

it('a stream is settled at its end, at the usage the client received', async () => {
  const before = await spent();
  fixture.fake.enqueue(reply.stream(textChunks('streamed answer', { parts: 3 }), { usage: USAGE }));
  const stream = await fixture.client.chat.completions.create({
    ...ask('stream'),
    stream: true,
    stream_options: { include_usage: true },
  });
  let received = 0;
  for await (const chunk of stream) if (chunk.usage) received = chunk.usage.total_tokens;
  expect(received).toBe(120);
  expect((await spent()).tenantTokens - before.tenantTokens).toBe(120);
});

it('an upstream failure releases the whole reservation', async () => {
  const before = await spent();
  fixture.fake.enqueue(reply.serverError(500));
  expect((await apiFailure(fixture.client.chat.completions.create(ask('fail')))).status).toBe(502);
  const after = await spent();
  expect([after.tenantTokens, after.tenantMicros]).toEqual([before.tenantTokens, before.tenantMicros]);
});

it('an idempotent retry is charged once', async () => {
  const before = await spent();
  fixture.fake.enqueue(reply.text('once', { usage: USAGE }));
  const options = { headers: { 'Idempotency-Key': 'quota-once' } };
  await fixture.client.chat.completions.create(ask('once'), options);
  await fixture.client.chat.completions.create(ask('once'), options);
  expect((await spent()).tenantTokens - before.tenantTokens).toBe(120);
  expect(fixture.fake.requests).toHaveLength(1);
});

it("over the budget: 429 insufficient_quota in the OpenAI shape, Retry-After to the month's end, no upstream call", async () => {
  // Each call costs 5 + 20×2 = 45 µ$ of the 2,000 µ$ budget, within its reservation (~10 input + 50 output tokens at
  // the dearest prices). Spend until refused: the settled spend then stays within the budget.
  let refused;
  for (let i = 0; i < 60 && refused === undefined; i++) {
    fixture.fake.enqueue(reply.text('spend', { usage: usage({ prompt: 5, completion: 20 }) }));
    try {
      await fixture.client.chat.completions.create(ask(`spend ${i}`));
    } catch (err) {
      refused = err;
    }
    // Each booking (and the release of its reservation) follows its answer: settle before the next request.
    await whenAfterResponsesDone();
  }
  const err = await apiFailure(Promise.reject(refused));
  expect([err.status, err.code, err.type]).toEqual([429, 'insufficient_quota', 'insufficient_quota']);
  expect(err.message).toMatch(/monthly budget/);
  expect(Number(err.headers?.get('retry-after'))).toBeGreaterThan(0);
  expect(err.headers?.get('x-gateway-budget-remaining-usd')).toMatch(/^0\.\d{6}$/);
  fixture.fake.requests.length = 0;
  fixture.fake.enqueue(reply.text('never sent'));
  expect((await apiFailure(fixture.client.chat.completions.create(ask('refused')))).status).toBe(429);
  expect(fixture.fake.requests).toHaveLength(0);
  const final = await spent();
  expect(final.tenantMicros).toBeLessThanOrEqual(2_000);
  expect(final.tenantMicros).toBeGreaterThan(2_000 - 111);
});
