import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import OpenAI from 'openai';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { tempDir } from '../helpers/tmp.js';

// A key's labels (`keys create --label cost-centre=…`) travel from the key through the authorizer's context into
// the request's ledger record, and `/v1/usage` shows them beside the key's totals.

const data = tempDir('gw-key-labels');
const ADMIN = 'admin-key-labels';
let gateway: LocalGateway;
let db: DynamoDBClient;

beforeAll(async () => {
  const configFile = join(data.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: { echo: { type: 'echo' } },
      models: { demo: { targets: [{ provider: 'echo', model: 'echo-1' }] } },
      plans: { default: { rateLimit: 1000, burstLimit: 1000 } },
      auth: { cacheTtlSeconds: 0 },
      prices: { echo: { 'echo-1': { input: 1, output: 1 } } },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: data.path, configFile, adminKey: ADMIN });
  db = new DynamoDBClient({
    endpoint: gateway.store.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
});

afterAll(async () => {
  db.destroy();
  await gateway.stop();
  data.remove();
});

const createKey = async (labels: Record<string, string>): Promise<{ id: string; key: string }> => {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'labelled-co', labels, scopes: ['chat', 'usage:read'] }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
};

/** The request record, once it is in the store (the local journal books it a moment after the answer). */
async function recordOf(ledgerId: string): Promise<Record<string, { S?: string }>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const out = await db.send(
      new GetItemCommand({
        TableName: gatewayTable.id,
        Key: { pk: { S: `REQ#${ledgerId}` }, sk: { S: 'REQ' } },
        ConsistentRead: true,
      }),
    );
    if (out.Item !== undefined) return out.Item as Record<string, { S?: string }>;
    if (Date.now() > deadline) throw new Error(`no record ${ledgerId}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

it('a request with a labelled key: its ledger record and /v1/usage by_key carry the labels', async () => {
  const labels = { 'cost-centre': 'cc-42', team: 'search' };
  const { id, key } = await createKey(labels);
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const { response } = await client.chat.completions
    .create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  const ledgerId = response.headers.get('x-gateway-ledger-id') ?? '';
  const record = await recordOf(ledgerId);
  expect(JSON.parse(record.labels?.S ?? 'null')).toEqual(labels);

  const deadline = Date.now() + 10_000;
  let byKey: { key_id: string; requests: number; labels?: unknown }[] = [];
  while (!byKey.some((entry) => entry.key_id === id) && Date.now() < deadline) {
    const usage = await fetch(`${gateway.url}/v1/usage`, { headers: { Authorization: `Bearer ${key}` } });
    expect(usage.status).toBe(200);
    byKey = ((await usage.json()) as { by_key: typeof byKey }).by_key;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  expect(byKey).toEqual([expect.objectContaining({ key_id: id, requests: 1, labels })]);
});

it('a key without labels: no labels attribute on the record', async () => {
  const { key } = await createKey({});
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const { response } = await client.chat.completions
    .create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  const record = await recordOf(response.headers.get('x-gateway-ledger-id') ?? '');
  expect(record.labels).toBeUndefined();
});
