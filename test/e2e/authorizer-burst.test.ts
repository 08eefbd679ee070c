import { join } from 'node:path';
import OpenAI from 'openai';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { startEmbeddedStore, type EmbeddedStore } from '../../local/store.js';
import { anthropicClient } from '../helpers/chat-gateway.js';
import { writeKeyTestConfig } from '../helpers/key-config.js';
import { startKeyStoreFaults, type KeyStoreFaults } from '../helpers/key-store-faults.js';
import { tempDir } from '../helpers/tmp.js';

// A cold burst: 100 concurrent requests right after start, with a key nobody has used yet. The authorizer must not
// queue one lastUsedAt write per request on the key's item (on a busy store that queue outlasted its timeout, and
// API Gateway answers a failed authorizer with a 500), and a key lookup the store fails for a moment is retried
// inside the authorizer instead of failing the request.
const ADMIN_KEY = 'test-admin-key-burst';
const BURST = 100;
const dir = tempDir('gw-authz-burst');
let store: EmbeddedStore;
let faults: KeyStoreFaults;
let gateway: LocalGateway;

beforeAll(async () => {
  store = await startEmbeddedStore(join(dir.path, 'store'));
  faults = await startKeyStoreFaults(store.endpoint);
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: dir.path,
    configFile: writeKeyTestConfig(dir.path, 0),
    adminKey: ADMIN_KEY,
    dynamoEndpoint: faults.url,
  });
});
afterAll(async () => {
  await gateway.stop();
  await faults.close();
  await store.close();
  dir.remove();
});

const freshKey = async (tenant: string): Promise<string> => {
  const res = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant }),
  });
  return ((await res.json()) as { key: string }).key;
};

/** The statuses of settled calls: the SDK's status for its errors, 200 for answers. */
const statuses = async (calls: Promise<unknown>[]): Promise<number[]> =>
  (await Promise.allSettled(calls)).map((settled) =>
    settled.status === 'fulfilled' ? 200 : settled.reason instanceof OpenAI.APIError ? (settled.reason.status ?? 0) : 0,
  );

it('a cold burst of 100 chat requests with a fresh key gets only 200s and stamps lastUsedAt once', async () => {
  const key = await freshKey('burst-chat');
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0, timeout: 60_000 });
  const before = faults.touches();
  const calls = Array.from({ length: BURST }, () =>
    client.chat.completions.create({ model: 'demo', messages: [{ role: 'user', content: 'hi' }] }),
  );
  expect(await statuses(calls)).toEqual(Array.from({ length: BURST }, () => 200));
  expect(faults.touches() - before).toBe(1);
});

it('key lookups the store fails for a moment are retried by the authorizer: the burst still gets only 200s', async () => {
  const key = await freshKey('burst-faults');
  const anthropic = anthropicClient(gateway.url, key);
  faults.failLookups(2);
  const calls = Array.from({ length: BURST }, () =>
    anthropic.messages.create({ model: 'demo', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
  );
  const settled = await Promise.allSettled(calls);
  const failures = settled.filter((one) => one.status === 'rejected').map((one) => String(one.reason));
  expect(failures).toEqual([]);
  expect(faults.failedLookups()).toBe(2);
});

it('a key store that stays unavailable through the retries: 503 authorizer_unavailable with Retry-After, never a 500', async () => {
  const key = await freshKey('burst-down');
  faults.failLookups(1_000);
  try {
    const res = await fetch(`${gateway.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('authorizer_unavailable');
  } finally {
    faults.failLookups(0);
  }
  const res = await fetch(`${gateway.url}/v1/models`, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
});
