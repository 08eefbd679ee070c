import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../lambdas/core/errors.js';
import { AnthropicProvider } from '../../lambdas/providers/anthropic/anthropic-provider.js';
import { OpenAIProvider } from '../../lambdas/providers/openai/openai-provider.js';
import { resetBreakers } from '../../lambdas/routing/breaker.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { message, startFakeAnthropic, textBlock, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import { tempDir } from '../helpers/tmp.js';

// Faults of the request itself never count against a target (one tenant cannot open a shared target's breaker for
// everyone), and a 200 that is no answer is the provider's fault with a code of its own.
const dir = tempDir('gw-request-faults');
let a: FakeOpenAI;
let b: FakeOpenAI;
let raw: Server;
// Accepts TCP connections and says nothing: an https client's TLS handshake never completes (a connect that hangs).
let anth: FakeAnthropic;
let silent: NetServer;
const silentSockets = new Set<Socket>();
let rawBody = '';
let gateway: LocalGateway;

beforeAll(async () => {
  [a, b] = await Promise.all([startFakeOpenAI({ apiKey: 'sk-a' }), startFakeOpenAI({ apiKey: 'sk-b' })]);
  anth = await startFakeAnthropic({ apiKey: 'sk-ant-faults' });
  // An upstream that answers 200 application/json with whatever rawBody holds (invalid JSON included).
  raw = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(rawBody);
    });
  });
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  silent = createNetServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, { FAULT_KEY_A: 'sk-a', FAULT_KEY_B: 'sk-b', FAULT_KEY_ANTH: 'sk-ant-faults' });
  const fast = {
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 1000 },
    breaker: { failures: 2, cooldownMs: 60_000 },
  };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        a: { type: 'openai', baseURL: a.url, apiKeyEnv: 'FAULT_KEY_A' },
        b: { type: 'openai', baseURL: b.url, apiKeyEnv: 'FAULT_KEY_B' },
        anth: { type: 'anthropic', baseURL: anth.url, apiKeyEnv: 'FAULT_KEY_ANTH' },
        raw: {
          type: 'openai',
          baseURL: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/v1`,
          apiKeyEnv: 'FAULT_KEY_A',
        },
        silent: {
          type: 'openai',
          baseURL: `https://127.0.0.1:${(silent.address() as AddressInfo).port}/v1`,
          apiKeyEnv: 'FAULT_KEY_A',
        },
      },
      models: {
        one: { targets: [{ provider: 'a', model: 'm1' }], ...fast },
        ab: {
          targets: [
            { provider: 'a', model: 'm1' },
            { provider: 'b', model: 'm2' },
          ],
          ...fast,
          retry: { ...fast.retry, attempts: 1 },
        },
        raw: { targets: [{ provider: 'raw', model: 'm1' }], ...fast, retry: { ...fast.retry, attempts: 1 } },
        ab3: {
          targets: [
            { provider: 'a', model: 'm1' },
            { provider: 'b', model: 'm2' },
          ],
          ...fast,
        },
        brk: {
          targets: [{ provider: 'a', model: 'm1' }],
          retry: { ...fast.retry, attempts: 1 },
          breaker: { failures: 1, cooldownMs: 60_000 },
        },
        // connectMs well below firstByteMs, and the deadline between them.
        silentb: {
          targets: [
            { provider: 'silent', model: 'm1' },
            { provider: 'b', model: 'm2' },
          ],
          ...fast,
          retry: { ...fast.retry, attempts: 1 },
          timeouts: { requestMs: 3000, connectMs: 300, firstByteMs: 10_000, idleMs: 1000 },
        },
        slowa: {
          targets: [{ provider: 'a', model: 'm1' }],
          ...fast,
          retry: { ...fast.retry, attempts: 1 },
          timeouts: { requestMs: 5000, connectMs: 100, firstByteMs: 4000, idleMs: 1000 },
        },
        slowanth: {
          targets: [{ provider: 'anth', model: 'claude-m1' }],
          ...fast,
          retry: { ...fast.retry, attempts: 1 },
          timeouts: { requestMs: 5000, connectMs: 100, firstByteMs: 4000, idleMs: 1000 },
        },
        rawb: {
          targets: [
            { provider: 'raw', model: 'm1' },
            { provider: 'b', model: 'm2' },
          ],
          ...fast,
          retry: { ...fast.retry, attempts: 1 },
        },
      },
      plans: { default: { rateLimit: 1000, burstLimit: 1000, policies: { maxInputBytes: 100_000 } } },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
});
afterAll(async () => {
  await gateway.stop();
  for (const socket of silentSockets) socket.destroy();
  await Promise.all([
    a.close(),
    b.close(),
    anth.close(),
    new Promise((resolve) => raw.close(resolve)),
    new Promise((resolve) => silent.close(resolve)),
  ]);
  dir.remove();
});
beforeEach(() => {
  for (const fake of [a, b]) fake.requests.length = 0;
  resetBreakers();
});

/** A JSON Schema nested `levels` deep, as JSON text (too deep for JSON.stringify in a test's stack). */
const nested = (levels: number): string =>
  `${'{"type":"object","properties":{"x":'.repeat(levels)}{"type":"string"}${'}}'.repeat(levels)}`;
/** A request body as JSON text, with `deep` put in place of the string "DEEP". */
const withDeep = (body: unknown, deep: string): string => JSON.stringify(body).replace('"DEEP"', deep);
const post = async (
  path: string,
  body: unknown,
): Promise<{ status: number; headers: Headers; body: { error?: { code?: string; type?: string }; type?: string } }> => {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gateway.devKey.key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as { error?: { code?: string; type?: string } },
  };
};
const ask = (model: string, extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});
const deepTools = withDeep(
  ask('one', { tools: [{ type: 'function', function: { name: 'f', parameters: 'DEEP' } }] }),
  nested(5000),
);

describe('a request nested too deeply', () => {
  it('is a 400 json_too_deep at the edge (also under maxInputBytes), with no upstream call and no breaker count', async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await post('/v1/chat/completions', deepTools);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ type: 'invalid_request_error', code: 'json_too_deep' });
    }
    const schema = await post(
      '/v1/chat/completions',
      withDeep(
        ask('one', { response_format: { type: 'json_schema', json_schema: { name: 's', schema: 'DEEP' } } }),
        nested(5000),
      ),
    );
    expect(schema.status).toBe(400);
    expect(a.requests).toHaveLength(0);
    // Another tenant's ordinary request on the same target is served.
    a.enqueue(reply.text('fine'));
    const served = await post('/v1/chat/completions', ask('one'));
    expect(served.status).toBe(200);
  });

  it("is a 400 in Anthropic's error shape on /v1/messages", async () => {
    const refused = await post(
      '/v1/messages',
      withDeep(
        {
          model: 'one',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ name: 'f', input_schema: 'DEEP' }],
        },
        nested(5000),
      ),
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('within the documented depth (128) is served', async () => {
    a.enqueue(reply.text('fine'));
    const served = await post(
      '/v1/chat/completions',
      withDeep(ask('one', { tools: [{ type: 'function', function: { name: 'f', parameters: 'DEEP' } }] }), nested(50)),
    );
    expect(served.status).toBe(200);
  });
});

describe('a 200 that is no answer', () => {
  it('an error object → upstream_invalid_response, failed over like a provider fault', async () => {
    a.enqueue(reply.json({ error: { message: 'upstream exploded', type: 'server_error' } }));
    b.enqueue(reply.text('from b'));
    const served = await post('/v1/chat/completions', ask('ab'));
    expect(served.status).toBe(200);
    expect(b.requests).toHaveLength(1);
    a.enqueue(reply.json({ error: { message: 'upstream exploded', type: 'server_error' } }));
    const alone = await post('/v1/chat/completions', ask('one', { n: 1 }));
    expect(alone.status).toBe(502);
    expect(alone.body.error).toMatchObject({ code: 'upstream_invalid_response', type: 'api_error' });
  });

  it('invalid JSON → upstream_invalid_response, failed over', async () => {
    rawBody = '{"id": "chatcmpl-1", "choices": [';
    b.enqueue(reply.text('from b'));
    const served = await post('/v1/chat/completions', ask('rawb'));
    expect(served.status).toBe(200);
    expect(b.requests).toHaveLength(1);
    const alone = await post('/v1/chat/completions', ask('raw'));
    expect(alone.status).toBe(502);
    expect(alone.body.error).toMatchObject({ code: 'upstream_invalid_response', type: 'api_error' });
  });
});

describe('a request the provider SDK cannot encode', () => {
  // Past the edge's depth check only by a bug; should it happen, nothing is sent and it is the request's fault.
  it.each(['openai', 'anthropic'] as const)('%s: a 400 request_not_encodable, with no upstream call', async (type) => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 20_000; i++) deep = { type: 'object', properties: { x: deep } };
    const request = {
      model: 'm',
      messages: [{ role: 'user' as const, content: 'hi' }],
      tools: [{ type: 'function' as const, function: { name: 'f', parameters: deep } }],
    };
    const options = { name: 'a', apiKey: 'sk-a', timeoutMs: 2000 };
    const provider =
      type === 'openai'
        ? new OpenAIProvider({ ...options, baseURL: a.url })
        : new AnthropicProvider({ ...options, baseURL: a.url.replace(/\/v1$/, ''), defaultMaxTokens: 10 });
    const failed = await provider
      .complete({ request, model: 'm', requestId: 'r', signal: new AbortController().signal })
      .catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(GatewayError);
    expect(failed).toMatchObject({ status: 400, code: 'request_not_encodable', type: 'invalid_request_error' });
    expect(a.requests).toHaveLength(0);
  });
});

describe('connectMs on JSON requests', () => {
  it('a connection that does not open within connectMs fails the try (upstream_timeout), so the fallback serves', async () => {
    b.enqueue(reply.text('from b'));
    const served = await post('/v1/chat/completions', ask('silentb'));
    expect(served.status).toBe(200);
    expect(b.requests).toHaveLength(1);
  });

  it('an open connection whose answer takes longer than connectMs is waited for (firstByteMs bounds the answer)', async () => {
    a.enqueue(reply.text('slow but fine', { delayMs: 400 }));
    const served = await post('/v1/chat/completions', ask('slowa'));
    expect(served.status).toBe(200);
  });

  it('the same through the Anthropic SDK: its open connection is reported, the slow answer waited for', async () => {
    anth.enqueue({ kind: 'json', status: 200, body: message([textBlock('slow but fine')]), delayMs: 400 });
    const served = await post('/v1/chat/completions', ask('slowanth'));
    expect(served.status).toBe(200);
  });
});

describe('Retry-After', () => {
  it("an open breaker's 503 says when its probe comes", async () => {
    a.enqueue(reply.serverError(500));
    expect((await post('/v1/chat/completions', ask('brk'))).status).toBe(502);
    const refused = await post('/v1/chat/completions', ask('brk'));
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatchObject({ code: 'no_target_available' });
    const seconds = Number(refused.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(a.requests).toHaveLength(1);
  });

  it('an upstream 503 whose Retry-After is beyond the cap goes to the fallback at once', async () => {
    a.enqueue(reply.serverError(503, { headers: { 'retry-after': '120' } }), reply.text('from a'));
    b.enqueue(reply.text('from b'));
    const served = await post('/v1/chat/completions', ask('ab3'));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-gateway-provider')).toBe('b');
    expect(a.requests).toHaveLength(1);
  });
});
