import { request } from 'node:http';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { tempDir } from '../helpers/tmp.js';

// Names every JavaScript object has (issue 14, item 3), and nosniff on every response (item 4), from outside: the
// real local gateway (route table, edge, Middy handlers, embedded store) over HTTP on port 0.
let gateway: LocalGateway;
const data = tempDir('gw-proto-names');

beforeAll(async () => {
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: data.path,
    configFile: 'gateway.config.json',
    adminKey: 'admin',
  });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
});

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'] as const;

/** fetch with headers as pairs: an object literal with a `__proto__` key would set its prototype instead. */
const send = (path: string, init: { method?: string; headers?: [string, string][]; body?: string } = {}) =>
  fetch(`${gateway.url}${path}`, {
    method: init.method ?? 'GET',
    headers: init.headers ?? [],
    ...(init.body === undefined ? {} : { body: init.body }),
  });

const admin = (body: unknown) =>
  send('/admin/keys', {
    method: 'POST',
    headers: [
      ['Authorization', 'Bearer admin'],
      ['Content-Type', 'application/json'],
    ],
    body: JSON.stringify(body),
  });

/** A raw HTTP/1.1 request (method and target as given, nothing normalised), answered status and body. */
const raw = (method: string, target: string) =>
  new Promise<{ status: number; nosniff: string | undefined; body: string }>((resolve, reject) => {
    const url = new URL(gateway.url);
    const req = request({ host: url.hostname, port: url.port, method, path: target }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          nosniff: res.headers['x-content-type-options'] as string | undefined,
          body,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });

describe('prototype names are plain names', () => {
  it.each(PROTOTYPE_NAMES)('POST /admin/keys with plan "%s" → 400 unknown_plan, no key issued', async (plan) => {
    const res = await admin({ tenant: 'proto-tenant', plan });
    expect(res.status).toBe(400);
    expect(expectOpenAIError(await res.json(), 'unknown_plan').param).toBe('plan');
  });

  it.each(PROTOTYPE_NAMES)('POST /admin/keys with models ["%s"] → 400 unknown_model', async (alias) => {
    const res = await admin({ tenant: 'proto-tenant', models: ['demo', alias] });
    expect(res.status).toBe(400);
    expect(expectOpenAIError(await res.json(), 'unknown_model').param).toBe('models');
  });

  it('no key was issued for those tenants', async () => {
    const res = await send('/admin/keys?tenant=proto-tenant', { headers: [['Authorization', 'Bearer admin']] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it.each(PROTOTYPE_NAMES)('a query parameter named "%s" on /health/live is ignored there (200)', async (name) => {
    const res = await send(`/health/live?${name}=1&${name}=2`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it.each(PROTOTYPE_NAMES)(
    'a query parameter named "%s" on /v1/usage is an unknown parameter (400 invalid_query)',
    async (name) => {
      const res = await send(`/v1/usage?${name}=1`, { headers: [['Authorization', `Bearer ${gateway.devKey.key}`]] });
      expect(res.status).toBe(400);
      expect(expectOpenAIError(await res.json(), 'invalid_query').param).toBe(name);
    },
  );

  it.each(PROTOTYPE_NAMES)(
    'a header named "%s" (twice) changes nothing: /health/live 200, /v1/models 200',
    async (name) => {
      const headers: [string, string][] = [
        [name, 'x'],
        [name, 'y'],
      ];
      const live = await send('/health/live', { headers });
      expect(live.status).toBe(200);
      const models = await send('/v1/models', {
        headers: [...headers, ['Authorization', `Bearer ${gateway.devKey.key}`]],
      });
      expect(models.status).toBe(200);
    },
  );

  it.each(PROTOTYPE_NAMES)('chat on a model named "%s" → 404 model_not_found', async (model) => {
    const res = await send('/v1/chat/completions', {
      method: 'POST',
      headers: [
        ['Authorization', `Bearer ${gateway.devKey.key}`],
        ['Content-Type', 'application/json'],
      ],
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(404);
    expectOpenAIError(await res.json(), 'model_not_found');
  });
});

describe('malformed percent-escapes and request targets', () => {
  it.each(['%ZZ', '%', '%E2%82', 'req_%ZZ'])('GET /v1/requests/%s → 400 invalid_request_id', async (id) => {
    const res = await send(`/v1/requests/${id}`, { headers: [['Authorization', `Bearer ${gateway.devKey.key}`]] });
    expect(res.status).toBe(400);
    expectOpenAIError(await res.json(), 'invalid_request_id');
  });

  it('GET /admin/keys/%ZZ → 400 invalid_key_id', async () => {
    const res = await send('/admin/keys/%ZZ', { headers: [['Authorization', 'Bearer admin']] });
    expect(res.status).toBe(400);
    expectOpenAIError(await res.json(), 'invalid_key_id');
  });

  it('a request target that is no path (OPTIONS *) → 400 with nosniff', async () => {
    const res = await raw('OPTIONS', '*');
    expect(res.status).toBe(400);
    expectOpenAIError(JSON.parse(res.body), 'invalid_request_target');
    expect(res.nosniff).toBe('nosniff');
  });

  it('a path starting with // stays a path (no host taken from it): 404', async () => {
    const res = await raw('GET', '//evil.example/health/live');
    expect(res.status).toBe(404);
    expectOpenAIError(JSON.parse(res.body), 'unknown_route');
  });

  it('the gateway still serves afterwards', async () => {
    expect((await send('/health/live')).status).toBe(200);
  });
});

describe('X-Content-Type-Options: nosniff on every response', () => {
  const chat = (stream: boolean) =>
    send('/v1/chat/completions', {
      method: 'POST',
      headers: [
        ['Authorization', `Bearer ${gateway.devKey.key}`],
        ['Content-Type', 'application/json'],
      ],
      body: JSON.stringify({ model: 'demo', stream, messages: [{ role: 'user', content: 'hi' }] }),
    });

  it.each<[string, () => Promise<Response>, number]>([
    ['a success (health)', () => send('/health/live'), 200],
    ['a JSON chat answer', () => chat(false), 200],
    ['a streamed chat answer', () => chat(true), 200],
    [
      'a function error (400)',
      () =>
        send('/v1/chat/completions', {
          method: 'POST',
          headers: [
            ['Authorization', `Bearer ${gateway.devKey.key}`],
            ['Content-Type', 'application/json'],
          ],
          body: '{',
        }),
      400,
    ],
    ['the fallback 404', () => send('/no/such/route'), 404],
    ['the fallback 405', () => send('/health/live', { method: 'DELETE' }), 405],
    ['the fallback 404 on /v1/messages/x (Anthropic shape)', () => send('/v1/messages/x'), 404],
    ['the edge 401', () => send('/v1/models'), 401],
    ['the edge 403 (admin)', () => send('/admin/keys'), 403],
    [
      'the edge 413',
      () =>
        send('/v1/chat/completions', {
          method: 'POST',
          headers: [['Content-Type', 'application/json']],
          body: 'x'.repeat(10 * 1024 * 1024 + 1),
        }),
      413,
    ],
  ])('%s', async (_label, call, status) => {
    const res = await call();
    await res.arrayBuffer();
    expect(res.status).toBe(status);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
