import { chatRequestSchema } from '../../../lambdas/api/chat-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { ANTHROPIC_VERSION, AnthropicProvider } from '../../../lambdas/providers/anthropic/anthropic-provider.js';
import type { ProviderCall, StreamPart } from '../../../lambdas/providers/types.js';
import { isAbort } from '../../../lambdas/providers/upstream-error.js';
import {
  errorAfterContentEvents,
  events,
  reply,
  startFakeAnthropic,
  textEvents,
  toolUseEvents,
  usage,
  type FakeAnthropic,
} from '../../fakes/fake-anthropic.js';

let fake: FakeAnthropic;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

const provider = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  new AnthropicProvider({
    name: 'claude',
    apiKey: options.apiKey ?? fake.apiKey,
    baseURL: fake.url,
    timeoutMs: options.timeoutMs ?? 5000,
    defaultMaxTokens: 512,
  });

const call = (
  fields: Record<string, unknown> = {},
  signal: AbortSignal = new AbortController().signal,
): ProviderCall => ({
  request: chatRequestSchema.parse({
    model: 'smart',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ],
    ...fields,
  }),
  model: 'claude-sonnet-4-6',
  requestId: 'req-test-123',
  signal,
});

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a rejection');
}

const text = (parts: readonly StreamPart[]): string =>
  parts.map((p) => (p.type === 'text-delta' ? p.delta : '')).join('');

describe('AnthropicProvider against the fake Messages API', () => {
  it('completes: sends the translated body with the pinned version, key and request id; returns the result', async () => {
    fake.enqueue(reply.text('Bonjour 👋', { usage: usage({ input: 3, output: 4, cacheRead: 100 }) }));
    const result = await provider().complete(call({ max_tokens: 99 }));
    expect(result).toEqual({
      content: 'Bonjour 👋',
      refusal: null,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 103, outputTokens: 4, cachedInputTokens: 100, cacheWriteTokens: 0 },
    });
    const [sent] = fake.requests;
    expect(sent?.path).toBe('/v1/messages');
    expect(sent?.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(sent?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(sent?.headers['x-request-id']).toBe('req-test-123');
    // The gateway's own call (messages-call.ts): its User-Agent, none of the SDK's x-stainless-* headers.
    expect(sent?.headers['user-agent']).toBe('llm-gateway');
    expect(Object.keys(sent?.headers ?? {}).filter((name) => name.startsWith('x-stainless'))).toEqual([]);
    expect(sent?.body).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 99,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: false,
    });
  });

  it('uses only the configured key and base URL, never ANTHROPIC_* environment variables', async () => {
    const saved = { key: process.env.ANTHROPIC_API_KEY, url: process.env.ANTHROPIC_BASE_URL };
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-the-environment';
    process.env.ANTHROPIC_BASE_URL = 'http://127.0.0.1:9';
    try {
      fake.enqueue(reply.text('ok'));
      await expect(provider().complete(call())).resolves.toMatchObject({ content: 'ok' });
      expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    } finally {
      if (saved.key === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved.key;
      if (saved.url === undefined) delete process.env.ANTHROPIC_BASE_URL;
      else process.env.ANTHROPIC_BASE_URL = saved.url;
    }
  });

  it('rejects an untranslatable request with a 400 before calling Anthropic', async () => {
    const err = await rejection(provider().complete(call({ temperature: 0.3 })));
    expect(err).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'temperature' });
    await expect(provider().stream(call({ top_p: 0.5 }))).rejects.toMatchObject({ status: 400, param: 'top_p' });
    expect(fake.requests).toHaveLength(0);
  });

  it('streams byte-split SSE (multi-byte characters cut across writes) into parts', async () => {
    const cache = usage({ input: 8, output: 30, cacheWrite: 1000, cacheRead: 50 });
    const sequence = toolUseEvents(undefined, { text: 'Je vérifie les deux villes… 🌦️ 東京', usage: cache });
    fake.enqueue(
      reply.stream([...sequence.slice(0, 2), events.ping(), ...sequence.slice(2)], {
        split: { seed: 7, maxPieceBytes: 5 },
      }),
    );
    const parts = await collect(await provider().stream(call({ stream: true })));
    expect(text(parts)).toBe('Je vérifie les deux villes… 🌦️ 東京');
    expect(
      parts
        .filter((p) => p.type === 'tool-call-start')
        .map((p) => (p.type === 'tool-call-start' ? [p.index, p.id] : [])),
    ).toEqual([
      [0, 'toolu_01A09q90qw90lq917835lq9'],
      [1, 'toolu_01B2c3d4e5f6g7h8i9j0k1l2m'],
    ]);
    const args = (index: number) =>
      parts.map((p) => (p.type === 'tool-call-delta' && p.index === index ? p.argumentsDelta : '')).join('');
    expect(JSON.parse(args(1))).toEqual({ location: 'Tōkyō 東京', unit: 'celsius' });
    expect(parts.slice(-2)).toEqual([
      { type: 'finish', finishReason: 'tool_calls' },
      { type: 'usage', usage: { inputTokens: 1058, outputTokens: 30, cachedInputTokens: 50, cacheWriteTokens: 1000 } },
    ]);
    expect(fake.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('maps a 401 to 502 provider_authentication_failed without the provider text, before any stream part', async () => {
    const wrong = provider({ apiKey: 'sk-ant-wrong' });
    const err = await rejection(wrong.complete(call()));
    expect(err).toMatchObject({ status: 502, code: 'provider_authentication_failed' });
    expect(err.message).not.toContain('x-api-key');
    await expect(wrong.stream(call({ stream: true }))).rejects.toMatchObject({
      status: 502,
      code: 'provider_authentication_failed',
    });
  });

  it('maps a 429 to 429 with Retry-After, and a 529 to 502 upstream_overloaded', async () => {
    fake.enqueue(reply.rateLimit(7), reply.overloaded(), reply.overloaded());
    const limited = await rejection(provider().complete(call()));
    expect(limited).toMatchObject({ status: 429, code: 'upstream_rate_limited', headers: { 'Retry-After': '7' } });
    await expect(provider().complete(call())).rejects.toMatchObject({ status: 502, code: 'upstream_overloaded' });
    await expect(provider().stream(call({ stream: true }))).rejects.toMatchObject({
      status: 502,
      code: 'upstream_overloaded',
    });
    expect(fake.requests).toHaveLength(3);
  });

  it('times out with 504 when the headers do not arrive within timeoutMs, and does not retry', async () => {
    fake.enqueue(reply.text('too late', { delayMs: 2000 }));
    const started = Date.now();
    const err = await rejection(provider({ timeoutMs: 150 }).complete(call()));
    expect(err).toMatchObject({ status: 504, code: 'upstream_timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
    await fake.requests[0]?.closed;
    expect(fake.requests[0]?.clientAborted).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('rethrows an abort while waiting for the answer, and the fake sees the connection closed', async () => {
    fake.enqueue(reply.text('never', { delayMs: 2000 }));
    const controller = new AbortController();
    const pending = provider().complete(call({}, controller.signal));
    setTimeout(() => controller.abort(), 50);
    const err: unknown = await pending.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isAbort(err)).toBe(true);
    await fake.requests[0]?.closed;
    expect(fake.requests[0]?.clientAborted).toBe(true);
  });

  it('ends a stream aborted mid-way with an abort rejection, and the fake sees the connection closed', async () => {
    const long = textEvents('one two three four five six seven eight nine ten', { parts: 10 });
    fake.enqueue(reply.stream(long, { eventDelayMs: 40, split: false }));
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    const reading = (async () => {
      for await (const part of await provider().stream(call({ stream: true }, controller.signal))) {
        parts.push(part);
        if (part.type === 'text-delta') controller.abort();
      }
    })();
    const err: unknown = await reading.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(isAbort(err)).toBe(true);
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
    await fake.requests[0]?.closed;
    expect(fake.requests[0]?.clientAborted).toBe(true);
  });

  it('turns an error event after the 200 into an error part after the content', async () => {
    fake.enqueue(reply.stream(errorAfterContentEvents('Partial answer', 'overloaded_error')));
    const parts = await collect(await provider().stream(call({ stream: true })));
    expect(text(parts)).toBe('Partial answer');
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_overloaded' } });
    expect(parts.some((p) => p.type === 'finish')).toBe(false);
  });

  it.each([
    ['a connection cut mid-stream', { disconnectAfterEvents: 4 }],
    ['a malformed data line', { malformed: { afterEvents: 4 } }],
  ])('turns %s into a 502 upstream_stream_error part', async (_case, options) => {
    fake.enqueue(reply.stream(textEvents('abcdefghij', { parts: 5 }), options));
    const parts = await collect(await provider().stream(call({ stream: true })));
    expect(parts.at(-1)).toMatchObject({ type: 'error', error: { status: 502, code: 'upstream_stream_error' } });
    expect(parts.filter((p) => p.type === 'error')).toHaveLength(1);
  });
});
