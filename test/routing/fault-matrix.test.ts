import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { APIError } from 'openai';
import { resetBreakers } from '../../lambdas/routing/breaker.js';
import { startLocalGateway, type LocalGateway } from '../../local/gateway.js';
import { events, reply as anthropicReply, startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { reply, startFakeOpenAI, textChunks, type FakeOpenAI } from '../fakes/fake-openai.js';
import { apiFailure as failure } from '../helpers/api-error.js';
import { unusedPort } from '../helpers/ports.js';
import { tempDir } from '../helpers/tmp.js';

// Routing against failing upstreams: each fault with its expected outcome — served by the fallback, or a clean
// error with the right status — never content from two targets, no unhandled rejection, no timer left behind.
const dir = tempDir('gw-routing');
let a: FakeOpenAI;
let b: FakeOpenAI;
let claude: FakeAnthropic;
let gateway: LocalGateway;
let client: OpenAI;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
let baseline = { timers: 0, sockets: 0 };
const active = () => {
  const info = process.getActiveResourcesInfo();
  return {
    timers: info.filter((r) => r === 'Timeout').length,
    sockets: info.filter((r) => r.startsWith('TCP')).length,
  };
};

beforeAll(async () => {
  baseline = active();
  process.on('unhandledRejection', onUnhandled);
  [a, b, claude] = await Promise.all([
    startFakeOpenAI({ apiKey: 'sk-a' }),
    startFakeOpenAI({ apiKey: 'sk-b' }),
    startFakeAnthropic({ apiKey: 'sk-c' }),
  ]);
  Object.assign(process.env, { ROUTE_KEY_A: 'sk-a', ROUTE_KEY_B: 'sk-b', ROUTE_KEY_C: 'sk-c' });
  const fast = {
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20, maxRetryAfterMs: 1500 },
    timeouts: { requestMs: 8000, connectMs: 400, firstByteMs: 600, idleMs: 400 },
    breaker: { failures: 100, cooldownMs: 1000 },
  };
  const two = (first: string) => ({
    targets: [
      { provider: first, model: 'm1' },
      { provider: 'b', model: 'm2' },
    ],
    ...fast,
  });
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      providers: {
        a: { type: 'openai', baseURL: a.url, apiKeyEnv: 'ROUTE_KEY_A' },
        b: { type: 'openai', baseURL: b.url, apiKeyEnv: 'ROUTE_KEY_B' },
        c: { type: 'anthropic', baseURL: claude.url, apiKeyEnv: 'ROUTE_KEY_C' },
        dead: { type: 'openai', baseURL: `http://127.0.0.1:${await unusedPort()}/v1`, apiKeyEnv: 'ROUTE_KEY_A' },
      },
      models: {
        ab: two('a'),
        cb: two('c'),
        deadb: two('dead'),
        brk: { ...two('a'), retry: { ...fast.retry, attempts: 1 }, breaker: { failures: 2, cooldownMs: 400 } },
        hedge: { ...two('a'), retry: { ...fast.retry, attempts: 1 }, hedge: { afterMs: 150 } },
        idle: {
          ...two('a'),
          retry: { ...fast.retry, attempts: 1 },
          timeouts: { ...fast.timeouts, connectMs: 2000, firstByteMs: 2000 },
        },
        slow: {
          targets: [{ provider: 'a', model: 'm1' }],
          ...fast,
          timeouts: { ...fast.timeouts, requestMs: 300, firstByteMs: 5000 },
        },
      },
      auth: { cacheTtlSeconds: 0 },
    }),
  );
  gateway = await startLocalGateway({ port: 0, host: '127.0.0.1', dataDir: dir.path, configFile, adminKey: 'admin' });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.stop();
  await Promise.all([a.close(), b.close(), claude.close()]);
  process.off('unhandledRejection', onUnhandled);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(unhandled).toEqual([]);
  const left = active();
  expect(left.timers).toBeLessThanOrEqual(baseline.timers);
  expect(left.sockets).toBeLessThanOrEqual(baseline.sockets);
  dir.remove();
});
beforeEach(() => {
  for (const fake of [a, b, claude]) fake.requests.length = 0;
  resetBreakers();
});

const ask = [{ role: 'user' as const, content: 'hi' }];
const complete = (model: string) => client.chat.completions.create({ model, messages: ask }).withResponse();
const served = (response: Response) => [
  response.headers.get('x-gateway-provider'),
  Number(response.headers.get('x-gateway-attempts')),
];
const streamText = async (model: string) => {
  const { data, response } = await client.chat.completions
    .create({ model, messages: ask, stream: true })
    .withResponse();
  let text = '';
  let error: unknown;
  try {
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
  } catch (err) {
    error = err;
  }
  return { text, error, response };
};

describe('non-stream faults', () => {
  it('500 twice → retried, then served by the fallback', async () => {
    a.enqueue(reply.serverError(500), reply.serverError(500));
    b.enqueue(reply.text('from b'));
    const { data, response } = await complete('ab');
    expect(data.choices[0]?.message.content).toBe('from b');
    expect(served(response)).toEqual(['b', 3]);
    expect(a.requests).toHaveLength(2);
  });

  it('429 with Retry-After within the cap → waits that long and retries the same target', async () => {
    a.enqueue(reply.rateLimit(1), reply.text('from a'));
    const started = Date.now();
    const { data, response } = await complete('ab');
    expect(data.choices[0]?.message.content).toBe('from a');
    expect(served(response)).toEqual(['a', 2]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(b.requests).toHaveLength(0);
  });

  it('429 with Retry-After beyond the cap → straight to the fallback', async () => {
    a.enqueue(reply.rateLimit(30));
    b.enqueue(reply.text('from b'));
    const { response } = await complete('ab');
    expect(served(response)).toEqual(['b', 2]);
  });

  it('timeout (no answer within firstByteMs) → retried, then the fallback', async () => {
    a.enqueue(reply.text('late', { delayMs: 3000 }), reply.text('late', { delayMs: 3000 }));
    b.enqueue(reply.text('from b'));
    const { data, response } = await complete('ab');
    expect(data.choices[0]?.message.content).toBe('from b');
    expect(served(response)).toEqual(['b', 3]);
  });

  it('connection refused → the fallback', async () => {
    b.enqueue(reply.text('from b'));
    const { response } = await complete('deadb');
    expect(served(response)).toEqual(['b', 3]);
  });

  it('Anthropic 529 overloaded → retried, then the fallback', async () => {
    claude.enqueue(anthropicReply.overloaded(), anthropicReply.overloaded());
    b.enqueue(reply.text('from b'));
    const { response } = await complete('cb');
    expect(served(response)).toEqual(['b', 3]);
    expect(claude.requests).toHaveLength(2);
  });

  it("400 is the request's fault: no retry, no fallback", async () => {
    a.enqueue(reply.error(400, { message: 'bad request', type: 'invalid_request_error' }));
    const err = await failure(complete('ab'));
    expect(err.status).toBe(400);
    expect([a.requests.length, b.requests.length]).toEqual([1, 0]);
  });

  it('401 from a provider → no retry on it, the fallback serves', async () => {
    a.enqueue(
      reply.error(401, { message: 'Incorrect API key', type: 'invalid_request_error', code: 'invalid_api_key' }),
    );
    b.enqueue(reply.text('from b'));
    const { response } = await complete('ab');
    expect(served(response)).toEqual(['b', 2]);
    expect(a.requests).toHaveLength(1);
  });

  it('every target failing → the last error, cleanly', async () => {
    a.enqueue(reply.serverError(500), reply.serverError(500));
    b.enqueue(reply.serverError(503), reply.serverError(503));
    const err = await failure(complete('ab'));
    expect(err.status).toBe(502);
  });

  it('the whole-request deadline → 504', async () => {
    a.enqueue(reply.text('late', { delayMs: 2000 }));
    const err = await failure(complete('slow'));
    expect([err.status, err.code]).toEqual([504, 'request_deadline_exceeded']);
  });
});

describe('stream faults', () => {
  it('stall before the first byte → the fallback, content from it alone', async () => {
    a.enqueue(
      reply.stream(textChunks('from a', { parts: 2 }), { chunkDelayMs: 3000 }),
      reply.stream(textChunks('from a', { parts: 2 }), { chunkDelayMs: 3000 }),
    );
    b.enqueue(reply.stream(textChunks('from b', { parts: 2 })));
    const { text, error, response } = await streamText('ab');
    expect([text, error]).toEqual(['from b', undefined]);
    expect(served(response)).toEqual(['b', 3]);
  });

  it('malformed SSE before any content → the fallback', async () => {
    a.enqueue(
      reply.stream(textChunks('from a'), { malformed: { afterChunks: 0 } }),
      reply.stream(textChunks('from a'), { malformed: { afterChunks: 0 } }),
    );
    b.enqueue(reply.stream(textChunks('from b', { parts: 2 })));
    const { text, response } = await streamText('ab');
    expect(text).toBe('from b');
    expect(served(response)[0]).toBe('b');
  });

  it("disconnect mid-stream → an SSE error after a's content, b never asked: no content from two targets", async () => {
    a.enqueue(reply.stream(textChunks('one two three four five six', { parts: 6 }), { disconnectAfterChunks: 3 }));
    const { text, error } = await streamText('ab');
    expect('one two three four five six'.startsWith(text)).toBe(true);
    expect(text.length).toBeGreaterThan(0);
    expect((error as APIError).code).toBe('upstream_stream_error');
    expect(b.requests).toHaveLength(0);
  });

  it('malformed SSE after content → an SSE error, no fallback', async () => {
    a.enqueue(reply.stream(textChunks('alpha beta gamma', { parts: 3 }), { malformed: { afterChunks: 3 } }));
    const { error } = await streamText('ab');
    expect(error).toBeInstanceOf(APIError);
    expect(b.requests).toHaveLength(0);
  });

  it('silence mid-stream longer than idleMs → the upstream is cut and the client gets a 504 SSE error', async () => {
    a.enqueue(reply.stream(textChunks('slow and steady', { parts: 3 }), { chunkDelayMs: 500 }));
    const { text, error } = await streamText('idle');
    expect((error as APIError).code).toBe('upstream_idle_timeout');
    expect('slow and steady'.startsWith(text)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.requests[0]?.clientAborted).toBe(true);
    expect(b.requests).toHaveLength(0);
  });

  it('Anthropic overloaded_error as the first stream event → the fallback', async () => {
    const overloadedFirst = [events.messageStart(), events.error('overloaded_error')];
    claude.enqueue(anthropicReply.stream(overloadedFirst), anthropicReply.stream(overloadedFirst));
    b.enqueue(reply.stream(textChunks('from b', { parts: 2 })));
    const { text, response } = await streamText('cb');
    expect(text).toBe('from b');
    expect(served(response)).toEqual(['b', 3]);
  });
});

describe('circuit breaker and hedging', () => {
  it("two failing requests open a's breaker: the next goes straight to b; after the cooldown a is probed", async () => {
    a.enqueue(reply.serverError(500), reply.serverError(500));
    b.enqueue(reply.text('b1'), reply.text('b2'), reply.text('b3'));
    await complete('brk');
    await complete('brk');
    expect(a.requests).toHaveLength(2);
    const { response } = await complete('brk');
    expect(served(response)).toEqual(['b', 1]);
    expect(a.requests).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 450));
    a.enqueue(reply.text('a is back'));
    const probe = await complete('brk');
    expect(probe.data.choices[0]?.message.content).toBe('a is back');
  });

  it("hedging: a silent past afterMs → b starts; b wins, a is aborted, only b's content reaches the client", async () => {
    a.enqueue(reply.stream(textChunks('from a', { parts: 2 }), { delayMs: 1500 }));
    b.enqueue(reply.stream(textChunks('from b', { parts: 2 })));
    const { text, response } = await streamText('hedge');
    expect(text).toBe('from b');
    expect(served(response)).toEqual(['b', 2]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.requests[0]?.clientAborted).toBe(true);
  });

  it('hedging: a answering in time is never hedged', async () => {
    a.enqueue(reply.text('quick a'));
    const { response } = await complete('hedge');
    expect(served(response)).toEqual(['a', 1]);
    expect(b.requests).toHaveLength(0);
  });
});
