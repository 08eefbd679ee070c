import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '../../lambdas/aws-http/dynamodb.js';
import OpenAI, { APIError } from 'openai';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { readScopeUsage } from '../../lambdas/quota/quota-items.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { reply, startFakeOpenAI, textChunks, usage, type FakeOpenAI } from '../fakes/fake-openai.js';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// Quotas across processes, as across Lambda instances: two `npm start` gateways on ONE store (the second uses the
// first's store endpoint). 100 concurrent streams against a budget: the spend stays within it, and the ledger equals
// the usage the clients received. Then SIGKILL mid-stream: the reservation is released after its expiry, and the
// restarted gateway's ledger and quotas agree.

// USD per 1M tokens. Every answer: 8 prompt + 60 completion tokens = 8×10 + 60×30 = 1,880 µ$. Its reservation: the
// input estimate (9 tokens for these messages) + max_tokens 100 at the same prices = 90 + 3,000 + 1 = 3,091 µ$, so an
// answer never costs more than it reserved and the documented overshoot bound is 0 here.
const PRICE = { input: 10, output: 30 };
const COST = 8 * 10 + 60 * 30;
const BUDGET_USD = 0.05; // 50,000 µ$: 26 answers' worth, 16 reservations' worth
const SERVED_USAGE = usage({ prompt: 8, completion: 60 });
/** Leases end (and give their rest back) within this many seconds. */
const LEASE_SECONDS = 5;

const dir = tempDir('gw-quota-procs');
const running: GatewayProcess[] = [];
let fake: FakeOpenAI;
let db: DynamoDBClient;

function writeConfig(name: string, requestMs: number): string {
  const file = join(dir.path, name);
  writeFileSync(
    file,
    JSON.stringify({
      providers: { up: { type: 'openai', baseURL: fake.url, apiKeyEnv: 'QUOTA_PROCS_KEY', timeoutMs: 10_000 } },
      models: {
        target: { targets: [{ provider: 'up', model: 'm' }], retry: { attempts: 1 }, timeouts: { requestMs } },
      },
      plans: {
        default: {
          rateLimit: 5_000,
          burstLimit: 5_000,
          quotas: {
            tenant: { usdPerMonth: BUDGET_USD },
            reserveOutputTokens: 1_000,
            reservationGraceSeconds: 0,
            leaseMaxSeconds: LEASE_SECONDS,
          },
        },
      },
      auth: { cacheTtlSeconds: 0 },
      prices: { up: { m: PRICE } },
    }),
  );
  return file;
}

async function start(env: Record<string, string>): Promise<GatewayProcess> {
  const gateway = await startGatewayProcess({ QUOTA_PROCS_KEY: fake.apiKey, POWERTOOLS_LOG_LEVEL: 'WARN', ...env });
  running.push(gateway);
  return gateway;
}

async function stopAll(): Promise<void> {
  for (const gateway of running.splice(0)) {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
}

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: 'sk-procs',
    record: false,
    defaultReply: () =>
      reply.stream(textChunks('a streamed answer in parts', { parts: 4 }), { usage: SERVED_USAGE, chunkDelayMs: 15 }),
  });
});
afterAll(async () => {
  await stopAll();
  db?.destroy();
  await fake.close();
  dir.remove();
});

const month = () => new Date().toISOString().slice(0, 7);
const today = () => new Date().toISOString().slice(0, 10);
/** The tenant's month as the gateway reads it (quota item and settle items: quota-items.ts). */
const tenantQuota = () => readScopeUsage(db, gatewayTable.id, 'QUOTA#TENANT#dev', month());
/** Buckets holding reservations neither settled nor given back. */
const openBuckets = (quota: Awaited<ReturnType<typeof tenantQuota>>): string[] => quota.unsettled;
/** The ledger once `done` holds of it (bookings reach the store from the journal within milliseconds), or after 5 s. */
async function settledLedger(done: (books: Awaited<ReturnType<typeof ledger>>) => boolean): ReturnType<typeof ledger> {
  let books = await ledger();
  for (const until = Date.now() + 5_000; !done(books) && Date.now() < until;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    books = await ledger();
  }
  return books;
}

async function ledger(): Promise<{ requests: number; tokens: number; costMicros: number }> {
  const rows = await readUsage(db, gatewayTable.id, 'dev', today(), today());
  return rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      tokens: sum.tokens + row.inputTokens + row.outputTokens,
      costMicros: sum.costMicros + row.costMicros,
    }),
    { requests: 0, tokens: 0, costMicros: 0 },
  );
}

it('two gateways, one store, 100 concurrent streams against a budget: within the budget, ledger = what clients received', async () => {
  const config = writeConfig('concurrent.json', 30_000);
  const first = await start({ GATEWAY_CONFIG: config, GATEWAY_DATA_DIR: join(dir.path, 'a') });
  const second = await start({
    GATEWAY_CONFIG: config,
    GATEWAY_DATA_DIR: join(dir.path, 'b'),
    DYNAMODB_ENDPOINT: first.storeEndpoint,
  });
  db = new DynamoDBClient({
    endpoint: first.storeEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const key = devKeyOf(first.output()).key ?? '';
  const clients = [first, second].map(
    (g) => new OpenAI({ baseURL: `${g.url}/v1`, apiKey: key, maxRetries: 0, timeout: 20_000 }),
  );

  const outcomes = await Promise.all(
    Array.from({ length: 100 }, async (_, i) => {
      try {
        const stream = await clients[i % 2]!.chat.completions.create({
          model: 'target',
          messages: [{ role: 'user', content: `question ${i}` }],
          max_tokens: 100,
          stream: true,
          stream_options: { include_usage: true },
        });
        let tokens = 0;
        for await (const chunk of stream) if (chunk.usage) tokens = chunk.usage.total_tokens;
        return { served: true, tokens, gateway: i % 2 };
      } catch (err) {
        if (err instanceof APIError && err.status === 429 && err.code === 'insufficient_quota')
          return { served: false, tokens: 0, gateway: i % 2 };
        throw err;
      }
    }),
  );
  const served = outcomes.filter((o) => o.served);
  const clientTokens = served.reduce((sum, o) => sum + o.tokens, 0);
  // `npm start` books through its write-ahead journal: the store has every booking a moment after the answers.
  const books = await settledLedger((b) => b.requests === served.length);
  const quota = await tenantQuota();

  expect(served.length).toBeGreaterThanOrEqual(16); // the budget holds 16 reservations at once
  expect(served.length).toBeLessThanOrEqual(26); // and 26 answers at most
  expect(new Set(served.map((o) => o.gateway))).toEqual(new Set([0, 1])); // both gateways served
  expect(clientTokens).toBe(served.length * 68);
  expect(books).toEqual({ requests: served.length, tokens: clientTokens, costMicros: served.length * COST });
  expect(books.costMicros).toBeLessThanOrEqual(BUDGET_USD * 1_000_000);
  // Every reservation settled and every lease's rest given back (within leaseMaxSeconds): the quota holds exactly the
  // ledger's cost, and no open bucket.
  expect(quota.micros).toBeGreaterThanOrEqual(books.costMicros);
  let settled = quota;
  for (
    const until = Date.now() + LEASE_SECONDS * 1000 + 5_000;
    Date.now() < until && settled.micros !== books.costMicros;
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    settled = await tenantQuota();
  }
  expect(settled.micros).toBe(books.costMicros);
  expect(openBuckets(settled)).toEqual([]);
  await stopAll();
}, 60_000);

it('SIGKILL mid-stream: the reservation is released after its expiry, and the restarted gateway agrees with its ledger', async () => {
  const config = writeConfig('crash.json', 1_000);
  const data = join(dir.path, 'crash');
  const first = await start({ GATEWAY_CONFIG: config, GATEWAY_DATA_DIR: data, GATEWAY_SWEEP_INTERVAL_MS: '500' });
  db?.destroy();
  db = new DynamoDBClient({
    endpoint: first.storeEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const key = devKeyOf(first.output()).key ?? '';
  const client = new OpenAI({ baseURL: `${first.url}/v1`, apiKey: key, maxRetries: 0, timeout: 20_000 });
  const before = await ledger();
  const spentBefore = (await tenantQuota()).micros;

  fake.enqueue(
    reply.stream(textChunks('this answer never ends', { parts: 20 }), { usage: SERVED_USAGE, chunkDelayMs: 300 }),
  );
  const stream = await client.chat.completions.create({
    model: 'target',
    messages: [{ role: 'user', content: 'crash me' }],
    max_tokens: 100,
    stream: true,
  });
  const iterator = stream[Symbol.asyncIterator]();
  await iterator.next(); // the stream is running: its reservation is held
  const held = await tenantQuota();
  expect(openBuckets(held)).toHaveLength(1);
  expect(held.micros - spentBefore).toBe(3_091);
  first.child.kill('SIGKILL');
  expect(await first.exited).toBe('SIGKILL');
  await iterator.return?.();

  // Restart on the same data; its sweeper releases the bucket once its tick (deadline 1 s + grace 0, 10 s ticks) has passed.
  const second = await start({ GATEWAY_CONFIG: config, GATEWAY_DATA_DIR: data, GATEWAY_SWEEP_INTERVAL_MS: '500' });
  db.destroy();
  db = new DynamoDBClient({
    endpoint: second.storeEndpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const deadline = Date.now() + 25_000;
  while (openBuckets(await tenantQuota()).length > 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 250));
  const released = await tenantQuota();
  expect(openBuckets(released)).toEqual([]);
  // The killed request reported no usage to its client and is not in the ledger; the quota holds exactly the ledger.
  expect(await ledger()).toEqual(before);
  expect(released.micros).toBe(before.costMicros);

  // The restarted gateway serves and books as before.
  const again = new OpenAI({ baseURL: `${second.url}/v1`, apiKey: key, maxRetries: 0, timeout: 20_000 });
  fake.enqueue(reply.text('after the crash', { usage: SERVED_USAGE }));
  await again.chat.completions.create({
    model: 'target',
    messages: [{ role: 'user', content: 'after' }],
    max_tokens: 100,
  });
  expect((await settledLedger((b) => b.requests === before.requests + 1)).costMicros).toBe(before.costMicros + COST);
  expect((await tenantQuota()).micros).toBe(before.costMicros + COST);
}, 60_000);
