import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, ScanCommand, type AttributeValue } from '../../lambdas/aws-http/dynamodb.js';
import { readUsage } from '../../lambdas/ledger/usage-reader.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { reply, startFakeOpenAI, usage, type FakeOpenAI } from '../fakes/fake-openai.js';
import { devKeyOf, startGatewayProcess, type GatewayProcess } from '../helpers/gateway-process.js';
import { tempDir } from '../helpers/tmp.js';

// Usage is booked at most once whatever moment `npm start` dies (issue 14, item 13). A real gateway process (the
// journal, the store's thread, the transaction front) under 100 concurrent clients is SIGKILLed, restarted on the same
// data, several rounds. Then, exactly:
//   - the day/model/key counters count the records (requests, tokens and cost), no more, no less;
//   - every answer a client received names (X-Gateway-Ledger-Id) a record;
//   - a record without a received answer belongs to a request whose connection the kill cut (its booking was durable
//     before its answer left): records − received ≤ requests cut.
const ROUNDS = 3;
const CLIENTS = 100;
/** Answers per round before the kill (the kill then lands among ~100 requests in flight and the journal's batches). */
const ANSWERS_BEFORE_KILL = 250;
const PRICE = { input: 10, output: 30 };
const COST = 8 * 10 + 6 * 30;

const dir = tempDir('ledger-crash');
const running: GatewayProcess[] = [];
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({
    apiKey: 'sk-crash',
    record: false,
    defaultReply: () => reply.text('booked once', { usage: usage({ prompt: 8, completion: 6 }) }),
  });
});
afterAll(async () => {
  for (const gateway of running.splice(0)) {
    if (gateway.child.exitCode === null && gateway.child.signalCode === null) gateway.child.kill('SIGKILL');
    await gateway.exited;
  }
  await fake.close();
  dir.remove();
});

function writeConfig(): string {
  const file = join(dir.path, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      providers: { up: { type: 'openai', baseURL: fake.url, apiKeyEnv: 'LEDGER_CRASH_KEY', timeoutMs: 10_000 } },
      models: { target: { targets: [{ provider: 'up', model: 'm' }], retry: { attempts: 1 } } },
      plans: { default: { rateLimit: 5_000, burstLimit: 5_000 } },
      auth: { cacheTtlSeconds: 60 },
      prices: { up: { m: PRICE } },
    }),
  );
  return file;
}

const storeClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });

/** The ids of the dev tenant's request records (REQ#<id>), with their tokens and cost summed. */
async function records(db: DynamoDBClient): Promise<{ ids: Set<string>; tokens: number; costMicros: number }> {
  const ids = new Set<string>();
  let tokens = 0;
  let costMicros = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: gatewayTable.id,
        FilterExpression: 'begins_with(pk, :req) AND tenant = :tenant',
        ExpressionAttributeValues: { ':req': { S: 'REQ#' }, ':tenant': { S: 'dev' } },
        ConsistentRead: true,
        ...(start === undefined ? {} : { ExclusiveStartKey: start }),
      }),
    );
    for (const item of page.Items ?? []) {
      ids.add((item.pk?.S ?? '').slice('REQ#'.length));
      tokens += Number(item.inputTokens?.N ?? 0) + Number(item.outputTokens?.N ?? 0);
      costMicros += Number(item.costMicros?.N ?? 0);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return { ids, tokens, costMicros };
}

async function counters(db: DynamoDBClient): Promise<{ requests: number; tokens: number; costMicros: number }> {
  const today = new Date().toISOString().slice(0, 10);
  const rows = await readUsage(db, gatewayTable.id, 'dev', today, today);
  return rows.reduce(
    (sum, row) => ({
      requests: sum.requests + row.requests,
      tokens: sum.tokens + row.inputTokens + row.outputTokens,
      costMicros: sum.costMicros + row.costMicros,
    }),
    { requests: 0, tokens: 0, costMicros: 0 },
  );
}

it('SIGKILL under 100 concurrent clients, restart, several rounds: counters = records, every answer received has its record', async () => {
  const config = writeConfig();
  const data = join(dir.path, 'data');
  const env = {
    GATEWAY_CONFIG: config,
    GATEWAY_DATA_DIR: data,
    LEDGER_CRASH_KEY: fake.apiKey,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  const received = new Set<string>();
  let cut = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const gateway = await startGatewayProcess(env);
    running.push(gateway);
    const key = devKeyOf(gateway.output()).key ?? '';
    let answers = 0;
    let killed = false;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      while (!killed) {
        try {
          const res = await fetch(`${gateway.url}/v1/chat/completions`, {
            method: 'POST',
            headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'target', messages: [{ role: 'user', content: `client ${c}` }] }),
          });
          const body = (await res.json()) as { usage?: { total_tokens?: number } };
          expect(res.status).toBe(200);
          expect(body.usage?.total_tokens).toBe(14);
          received.add(res.headers.get('x-gateway-ledger-id') ?? 'no id');
          answers += 1;
        } catch (err) {
          if (!killed) throw err;
          cut += 1; // the kill cut this request: its client got no answer
        }
      }
    });
    while (answers < ANSWERS_BEFORE_KILL) await new Promise((resolve) => setTimeout(resolve, 5));
    // A different moment of the journal's batching each round.
    await new Promise((resolve) => setTimeout(resolve, round * 37));
    killed = true;
    gateway.child.kill('SIGKILL');
    expect(await gateway.exited).toBe('SIGKILL');
    await Promise.all(clients);
  }
  // The last restart books what the journal still holds before it serves.
  const gateway = await startGatewayProcess(env);
  running.push(gateway);
  const db = storeClient(gateway.storeEndpoint);
  const booked = await records(db);
  const counted = await counters(db);
  db.destroy();
  gateway.child.kill('SIGTERM');
  expect(await gateway.exited).toBe(0);

  const missing = [...received].filter((id) => !booked.ids.has(id));
  process.stdout.write(
    `ledger crash rounds: ${ROUNDS}, answers received ${received.size}, requests cut ${cut}, records ${booked.ids.size}, counted ${counted.requests}\n`,
  );
  expect(missing).toEqual([]);
  expect(counted).toEqual({ requests: booked.ids.size, tokens: booked.tokens, costMicros: booked.costMicros });
  expect(booked.costMicros).toBe(booked.ids.size * COST);
  expect(booked.ids.size - received.size).toBeGreaterThanOrEqual(0);
  expect(booked.ids.size - received.size).toBeLessThanOrEqual(cut);
}, 90_000);

it('a booking the store refuses, left in the journal, is set aside: the restart serves, books the others, and SIGTERM exits', async () => {
  const config = writeConfig();
  const data = join(dir.path, 'wedged');
  mkdirSync(data, { recursive: true });
  const entry = (id: string, outputTokens: number | null) => ({
    entry: {
      id,
      requestId: id,
      tenant: 'wedged',
      keyId: 'k',
      plan: 'default',
      alias: 'target',
      provider: 'up',
      model: 'm',
      status: 200,
      stream: false,
      usage: { inputTokens: 8, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0 },
      estimated: false,
      costMicros: 100,
      attempts: 1,
      createdAt: new Date().toISOString(),
    },
  });
  // What a run before the fix could leave: a booking whose usage has a null count (the store refuses it), and a good one.
  writeFileSync(
    join(data, 'ledger-journal.jsonl'),
    `${JSON.stringify(entry('req_wedged_bad', null))}\n${JSON.stringify(entry('req_wedged_good', 6))}\n`,
  );
  const gateway = await startGatewayProcess({
    GATEWAY_CONFIG: config,
    GATEWAY_DATA_DIR: data,
    LEDGER_CRASH_KEY: fake.apiKey,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'false',
  });
  running.push(gateway);
  expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  const db = storeClient(gateway.storeEndpoint);
  const booked = await db.send(
    new GetItemCommand({ TableName: gatewayTable.id, Key: { pk: { S: 'REQ#req_wedged_good' }, sk: { S: 'REQ' } } }),
  );
  db.destroy();
  expect(booked.Item?.tenant).toEqual({ S: 'wedged' });
  const dead = readFileSync(join(data, 'ledger-journal.dead.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { booking: { entry: { id: string } } });
  expect(dead.map((line) => line.booking.entry.id)).toEqual(['req_wedged_bad']);
  expect(gateway.errors()).toContain(
    '"message":"a booking the store keeps refusing was set aside in the dead-letter file"',
  );
  expect(gateway.output()).toContain('"LedgerBookingsSetAside"'); // its EMF metric
  gateway.child.kill('SIGTERM');
  expect(await gateway.exited).toBe(0);
}, 60_000);
