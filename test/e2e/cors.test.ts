import { CORS_ALLOWED_HEADERS, CORS_EXPOSED_HEADERS } from '../../lambdas/api/cors.js';
import { reply, startFakeOpenAI, textChunks, type FakeOpenAI } from '../fakes/fake-openai.js';
import { startChatGateway, type ChatGateway } from '../helpers/chat-gateway.js';

// CORS on the local gateway: preflights answered at the edge without a key, Access-Control-Allow-Origin echoing only
// listed origins on actual answers (success and function errors), Vary: Origin. Off by default: cors-off.test.ts.
const APP = 'https://app.example.com';
const OTHER = 'https://evil.example.net';
let fake: FakeOpenAI;
let chat: ChatGateway;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: 'sk-upstream-openai-key', defaultReply: () => reply.text('Hi there') });
  chat = await startChatGateway({ type: 'openai', baseURL: fake.url, apiKey: fake.apiKey }, undefined, {
    cors: { allowedOrigins: [APP, 'http://localhost:5173'] },
  });
});
afterAll(async () => {
  await chat.stop();
  await fake.close();
});

const preflight = (url: string, path: string, origin: string) =>
  fetch(`${url}${path}`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,x-stainless-os',
    },
  });
const accessControl = (res: Response): Record<string, string> =>
  Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));
const listOf = (value: string | null): string[] => (value ?? '').split(',').map((v) => v.trim().toLowerCase());

describe('CORS on (cors.allowedOrigins lists the app)', () => {
  it.each(['/v1/chat/completions', '/v1/messages', '/v1/models/target', '/no/such/path'])(
    'a preflight to %s from a listed origin: 204 at the edge, no key, with the allow headers',
    async (path) => {
      const res = await preflight(chat.gateway.url, path, APP);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(APP);
      expect(res.headers.get('vary')).toBe('Origin');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(listOf(res.headers.get('access-control-allow-methods'))).toEqual(
        expect.arrayContaining(['get', 'post', 'delete']),
      );
      const allowed = listOf(res.headers.get('access-control-allow-headers'));
      for (const name of [
        'authorization',
        'x-api-key',
        'content-type',
        'anthropic-version',
        'anthropic-beta',
        'idempotency-key',
        'x-request-id',
      ])
        expect(allowed).toContain(name);
      expect(Number(res.headers.get('access-control-max-age'))).toBe(600);
    },
  );

  it('a preflight from an unlisted origin: a bare 204, no Access-Control-* header the browser could accept', async () => {
    const res = await preflight(chat.gateway.url, '/v1/chat/completions', OTHER);
    expect(res.status).toBe(204);
    expect(accessControl(res)).toEqual({});
  });

  it('an actual answer to a listed origin echoes it and exposes the request id and gateway headers', async () => {
    const res = await fetch(`${chat.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        Origin: 'http://localhost:5173',
        Authorization: `Bearer ${chat.gateway.devKey.key}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ model: 'target', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('vary')).toBe('Origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const exposed = listOf(res.headers.get('access-control-expose-headers'));
    for (const name of ['x-request-id', 'request-id', 'x-gateway-provider', 'x-gateway-model'])
      expect(exposed).toContain(name);
    expect(exposed).toEqual(CORS_EXPOSED_HEADERS.map((n) => n.toLowerCase()));
  });

  it('a streamed answer to a listed origin carries it too', async () => {
    fake.enqueue(reply.stream(textChunks('Streamed', { parts: 2 })));
    const res = await fetch(`${chat.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Origin: APP, Authorization: `Bearer ${chat.gateway.devKey.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'target', stream: true, messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await res.text()).toContain('[DONE]');
  });

  it("a function's error answer to a listed origin carries it too (the browser can read the error)", async () => {
    const res = await fetch(`${chat.gateway.url}/v1/models/nope`, {
      headers: { Origin: APP, Authorization: `Bearer ${chat.gateway.devKey.key}` },
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('an actual answer to an unlisted origin carries no Access-Control-* header, only Vary: Origin', async () => {
    const res = await fetch(`${chat.gateway.url}/v1/models`, {
      headers: { Origin: OTHER, Authorization: `Bearer ${chat.gateway.devKey.key}` },
    });
    expect(res.status).toBe(200);
    expect(accessControl(res)).toEqual({});
    expect(res.headers.get('vary')).toBe('Origin');
  });

  it("an answer the edge gives itself (401: a wrong key) is readable by the browser, as the stack's gateway responses make it", async () => {
    const res = await fetch(`${chat.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Origin: APP, Authorization: 'Bearer gw-wrong-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'target', messages: [{ role: 'user', content: 'Hi' }] }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('vary')).toBe('Origin');
    expect(listOf(res.headers.get('access-control-expose-headers'))).toEqual(
      expect.arrayContaining(['retry-after', 'x-request-id']),
    );
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('the allowed headers name what the SDKs send', () => {
    const names = CORS_ALLOWED_HEADERS.map((n) => n.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['authorization', 'x-api-key', 'anthropic-version']));
  });
});
