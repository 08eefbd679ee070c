import { validate } from '@readme/openapi-parser';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { routes } from '../../lambdas/api/routes.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { tempDir } from '../helpers/tmp.js';

// The real gateway (route table, Middy handlers, embedded store) over real HTTP on port 0.
let gateway: LocalGateway;
const data = tempDir('gw-local');

beforeAll(async () => {
  gateway = await startLocalGateway({
    port: 0,
    host: '127.0.0.1',
    dataDir: data.path,
    configFile: 'gateway.config.json',
  });
});
afterAll(async () => {
  await gateway.stop();
  data.remove();
});

const get = (path: string, init?: RequestInit) => fetch(`${gateway.url}${path}`, init);

describe('health', () => {
  it('live answers 200 {"status":"ok"}', async () => {
    const res = await get('/health/live');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('ready answers 200 with each check, naming providers without a key but no key value', async () => {
    const res = await get('/health/ready');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      checks: {
        config: { status: 'ok' },
        store: { status: 'ok' },
        secrets: { status: 'ok', detail: 'no key configured for: openai, anthropic' },
        models: { status: 'ok' },
      },
      warnings: [
        'alias gpt-4o-mini cannot work: no API key for openai',
        'alias claude-haiku cannot work: no API key for anthropic',
        'alias fast cannot work: no API key for openai, anthropic',
        'alias embed-small cannot work: no API key for openai',
      ],
    });
  });

  it('created the tables from the stack definitions on first start', () => {
    expect(gateway.createdTables).toEqual(['GatewayTable']);
  });
});

describe('X-Request-Id', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it('echoes a safe client value', async () => {
    const id = 'client-req_1.2:3';
    const res = await get('/health/live', { headers: { 'X-Request-Id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it.each([
    ['too long', 'a'.repeat(129)],
    ['unsafe characters', 'abc<script>'],
    ['spaces', 'a b'],
  ])('replaces a value with %s by a fresh one', async (_label, value) => {
    const res = await get('/health/live', { headers: { 'X-Request-Id': value } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toMatch(uuid);
  });

  it('accepts exactly 128 safe characters', async () => {
    const id = 'b'.repeat(128);
    const res = await get('/health/live', { headers: { 'x-request-id': id } });
    expect(res.headers.get('x-request-id')).toBe(id);
  });

  it('is on error responses too, fresh when absent', async () => {
    const res = await get('/no/such/route');
    expect(res.headers.get('x-request-id')).toMatch(uuid);
  });
});

describe('routing errors', () => {
  it('unknown route → 404 in the OpenAI error shape', async () => {
    const res = await get('/v1/nothing-here', { headers: { 'X-Request-Id': 'r404' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toBe('r404');
    const error = expectOpenAIError(await res.json(), 'unknown_route');
    expect(error.type).toBe('not_found_error');
  });

  it('wrong method on a known route → 405 with Allow', async () => {
    const res = await get('/health/ready', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expectOpenAIError(await res.json(), 'method_not_allowed');
  });

  it('a POST with a broken JSON body to a GET route is a 405, not a 500', async () => {
    const res = await get('/health/live', {
      method: 'POST',
      body: '{"oops',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(405);
  });

  it("a body over API Gateway's 10 MB limit → 413", async () => {
    const res = await get('/health/live', { method: 'POST', body: 'x'.repeat(10 * 1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expectOpenAIError(await res.json(), 'request_too_large');
  });
});

describe('API docs', () => {
  it('/openapi.json is valid OpenAPI 3.1 listing every public route', async () => {
    const res = await get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result).toMatchObject({ valid: true });
    for (const route of routes.filter((r) => !r.hidden)) {
      expect(doc.paths[route.path]?.[route.method.toLowerCase()]).toBeDefined();
    }
    expect(doc.paths['/docs/{asset}']).toBeUndefined();
  });

  it('/docs serves Swagger UI pointed at openapi.json, with its assets', async () => {
    const page = await get('/docs');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain("url: 'openapi.json'");
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      expect(html).toContain(`docs/${asset}`);
      const res = await get(`/docs/${asset}`);
      expect(res.status).toBe(200);
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
  });

  it('serves no other file through the asset route', async () => {
    for (const name of ['package.json', '..%2Fpackage.json', 'swagger-ui-bundle.js.map']) {
      const res = await get(`/docs/${name}`);
      expect(res.status).toBe(404);
      expectOpenAIError(await res.json(), 'not_found');
    }
  });
});
