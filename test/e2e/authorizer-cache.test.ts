import { connect } from 'node:net';
import type { LocalGateway } from '../../local/gateway.js';
import { anthropicClient } from '../helpers/chat-gateway.js';
import { captureEmf } from '../observability/emf-capture.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// With an authorizer cache (TTL > 0) the local edge behaves as API Gateway: on the OpenAI-format routes Authorization
// is the identity source and the cache key, decisions are reused until the TTL passes, and a key only in x-api-key
// never reaches the authorizer; on the Anthropic-format routes (/v1/messages) the uncached authorizer runs for every
// request and takes x-api-key or Bearer, caching per key itself for the same TTL.
const ADMIN_KEY = 'test-admin-key-cache';
const dir = tempDir('gw-authz-cache');
let gateway: LocalGateway;
let clock = Date.UTC(2026, 10, 26, 12);

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, ADMIN_KEY, { cacheTtlSeconds: 60, now: () => clock });
});
afterAll(async () => {
  await gateway.stop();
  dir.remove();
});

const call = (path: string, init: RequestInit = {}) => fetch(`${gateway.url}${path}`, init);

const createKey = async (tenant: string): Promise<{ key: string; id: string }> =>
  (await (
    await call('/admin/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant }),
    })
  ).json()) as { key: string; id: string };

const revoke = (id: string) =>
  call(`/admin/keys/${id}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });

/** POST /v1/messages as Anthropic clients send it, with the auth headers given; the status and the tenant served. */
async function messages(headers: Record<string, string>): Promise<number> {
  const res = await call('/v1/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify({ model: 'demo', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

/** GET /v1/usage: the status and, when served, which tenant the gateway took the caller for. */
async function usageTenant(headers: Record<string, string>): Promise<[number, string | undefined]> {
  const res = await call('/v1/usage', { headers });
  const body = (await res.json()) as { tenant?: string };
  return [res.status, res.status === 200 ? body.tenant : undefined];
}

it('a revoked key keeps its cached allow until the TTL passes, then gets 401', async () => {
  const created = (await (
    await call('/admin/keys', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ tenant: 'cached' }),
    })
  ).json()) as { key: string; id: string };
  const auth = { Authorization: `Bearer ${created.key}` };
  expect((await call('/v1/models', { headers: auth })).status).toBe(200);
  await call(`/admin/keys/${created.id}/revoke`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
  clock += 59_000;
  expect((await call('/v1/models', { headers: auth })).status).toBe(200);
  clock += 2_000;
  expect((await call('/v1/models', { headers: auth })).status).toBe(401);
});

it('x-api-key alone is refused at the edge when the cache is on', async () => {
  const { key } = gateway.devKey;
  expect((await call('/v1/models', { headers: { 'x-api-key': key } })).status).toBe(401);
  expect((await call('/v1/models', { headers: { Authorization: `Bearer ${key}` } })).status).toBe(200);
});

describe('issue 14 item 1: a cached decision is reused only with the same key', () => {
  it.each(['Basic Og==', 'Bearer', 'Bearer  ', 'Token abc'])(
    'Authorization %j with a victim key in x-api-key is 401, and so is that Authorization afterwards',
    async (authorization) => {
      const victim = await createKey(`victim-${authorization.length}`);
      expect(await usageTenant({ Authorization: authorization, 'x-api-key': victim.key })).toEqual([401, undefined]);
      expect(await usageTenant({ Authorization: authorization })).toEqual([401, undefined]);
      const other = await createKey(`other-${authorization.length}`);
      expect(await usageTenant({ Authorization: authorization, 'x-api-key': other.key })).toEqual([401, undefined]);
      // On the route that takes x-api-key a malformed Authorization is no more a reason to look elsewhere.
      expect(await messages({ Authorization: authorization, 'x-api-key': victim.key })).toBe(401);
    },
  );

  it('on /v1/messages a key another request presented is never served to a request without it', async () => {
    const victim = await createKey('victim-messages');
    expect(await messages({ 'x-api-key': victim.key })).toBe(200);
    expect(await messages({})).toBe(401);
    expect(await messages({ 'x-api-key': 'lgw_not-a-key' })).toBe(401);
    expect(await messages({ Authorization: 'Basic Og==' })).toBe(401);
  });
});

/** A raw HTTP/1.1 GET with header lines as given (fetch would merge repeated headers); the status code. */
const rawGet = (path: string, lines: string[]): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = connect(gateway.port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.write([`GET ${path} HTTP/1.1`, 'Host: localhost', 'Connection: close', ...lines, '', ''].join('\r\n'));
  });

describe('issue 14 item 1: the same header twice in different spellings cannot split the cache key from the key', () => {
  it('Authorization: Basic + authorization: Bearer <victim> is 401, and Authorization: Basic alone stays 401', async () => {
    const victim = await createKey('victim-spelling');
    expect(await rawGet('/v1/models', ['Authorization: Basic Og==', `authorization: Bearer ${victim.key}`])).toBe(401);
    expect(await rawGet('/v1/models', ['Authorization: Basic Og=='])).toBe(401);
    expect(await rawGet('/v1/models', [`Authorization: Bearer ${victim.key}`])).toBe(200);
  });
});

describe('issue 14 item 2: x-api-key on the Anthropic-format routes with the cache on', () => {
  it('/v1/messages takes x-api-key or Bearer; both agreeing is fine, both differing is 401', async () => {
    const { key } = await createKey('anthropic-client');
    const other = await createKey('anthropic-other');
    expect(await messages({ 'x-api-key': key })).toBe(200);
    expect(await messages({ Authorization: `Bearer ${key}` })).toBe(200);
    expect(await messages({ Authorization: `Bearer ${key}`, 'x-api-key': key })).toBe(200);
    expect(await messages({ Authorization: `Bearer ${key}`, 'x-api-key': other.key })).toBe(401);
    expect(await messages({ Authorization: `Bearer ${other.key}`, 'x-api-key': key })).toBe(401);
    expect(await messages({})).toBe(401);
  });

  it('@anthropic-ai/sdk with apiKey (it sends Authorization: Bearer) is served on /v1/messages', async () => {
    const { key } = await createKey('anthropic-sdk');
    const client = anthropicClient(gateway.url, key);
    const message = await client.messages.create({
      model: 'demo',
      max_tokens: 16,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(message.type).toBe('message');
  });

  it('a revoked key keeps working through x-api-key until the TTL passes, then gets 401; other routes keep Bearer only', async () => {
    const created = await createKey('anthropic-revoked');
    expect(await messages({ 'x-api-key': created.key })).toBe(200);
    expect((await call('/v1/models', { headers: { 'x-api-key': created.key } })).status).toBe(401);
    await revoke(created.id);
    clock += 59_000;
    expect(await messages({ 'x-api-key': created.key })).toBe(200);
    clock += 2_000;
    expect(await messages({ 'x-api-key': created.key })).toBe(401);
    expect(await messages({ Authorization: `Bearer ${created.key}` })).toBe(401);
  });
});

describe('issue 14 item 16: each refusal is counted as an AuthorizerDenials metric, an allow is not', () => {
  const denialsDuring = async (request: () => Promise<number>): Promise<[number, number[]]> => {
    const emf = captureEmf();
    try {
      const status = await request();
      const counts = emf.documents
        .filter((d) =>
          d._aws.CloudWatchMetrics.some((m) => m.Metrics.some((metric) => metric.Name === 'AuthorizerDenials')),
        )
        .map((d) => d.AuthorizerDenials as number);
      return [status, counts];
    } finally {
      emf.stop();
    }
  };

  it('a wrong key: 401 and one denial; a good key: 200 and none', async () => {
    const { key } = await createKey('denial-metric');
    const wrong = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    expect(await denialsDuring(() => messages({ 'x-api-key': wrong }))).toEqual([401, [1]]);
    expect(await denialsDuring(() => messages({ 'x-api-key': key }))).toEqual([200, []]);
  });
});
