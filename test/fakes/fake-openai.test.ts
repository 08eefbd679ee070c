import { request } from 'node:http';
import OpenAI, { AuthenticationError, RateLimitError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import {
  reply,
  startFakeOpenAI,
  textChunks,
  toolCallChunks,
  TWO_WEATHER_CALLS,
  usage,
  type FakeOpenAI,
} from './fake-openai.js';
import { seededRandom, sseFrame, splitBytes } from './sse-writer.js';

// The fake OpenAI upstream, exercised with the official SDK as the client: what the SDK accepts, a gateway's
// provider adapter (built on the same SDK) will too.
const KEY = 'sk-test-fake-0123456789abcdef';
const MULTIBYTE = 'Grüße 👋 — こんにちは, wörld! ✨🚀';
let fake: FakeOpenAI;
let fixed: FakeOpenAI;

const client = (options: { apiKey?: string; maxRetries?: number } = {}): OpenAI =>
  new OpenAI({ baseURL: fake.url, apiKey: options.apiKey ?? KEY, maxRetries: options.maxRetries ?? 0, timeout: 5000 });

const hello = [{ role: 'user' as const, content: 'Say hello' }];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const contentOf = (chunks: readonly ChatCompletionChunk[]): string =>
  chunks.map((c) => c.choices.map((choice) => choice.delta.content ?? '').join('')).join('');

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: KEY, split: { seed: 42, maxPieceBytes: 5 } });
  fixed = await startFakeOpenAI({ apiKey: KEY, latencyMs: 40, defaultReply: 'fixed', record: false });
});
afterAll(async () => {
  await Promise.all([fake?.close(), fixed?.close()]);
});
beforeEach(() => {
  fake.requests.length = 0;
});

describe('non-stream', () => {
  it('answers a queued text reply with usage and cached tokens, and records the request', async () => {
    fake.enqueue(reply.text('Bonjour', { usage: usage({ prompt: 20, completion: 3, cached: 8 }) }));
    const res = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello, temperature: 0 });
    expect(res.object).toBe('chat.completion');
    expect(res.choices[0]?.message.content).toBe('Bonjour');
    expect(res.choices[0]?.finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 3, total_tokens: 23 });
    expect(res.usage?.prompt_tokens_details?.cached_tokens).toBe(8);
    expect(fake.pending()).toBe(0);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: hello, temperature: 0 },
      clientAborted: false,
    });
    expect(fake.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('echoes the last user message when the queue is empty', async () => {
    const res = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: MULTIBYTE }] },
      ],
    });
    expect(res.choices[0]?.message.content).toBe(MULTIBYTE);
    expect(res.model).toBe('gpt-4o-mini');
  });

  it('returns two parallel tool calls', async () => {
    fake.enqueue(reply.toolCalls());
    const res = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    const calls = res.choices[0]?.message.tool_calls ?? [];
    expect(res.choices[0]?.finish_reason).toBe('tool_calls');
    expect(
      calls.map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : c.type)),
    ).toEqual([
      ['call_fakeParis0001', 'get_weather', { city: 'Paris', unit: 'celsius' }],
      ['call_fakeTokyo0002', 'get_weather', { city: 'Tokyo', unit: 'celsius' }],
    ]);
  });

  it('returns a json_schema reply whose content parses', async () => {
    fake.enqueue(reply.jsonSchema({ name: 'Ada', languages: ['en', 'fr'] }));
    const res = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: hello,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'person', schema: { type: 'object' }, strict: true },
      },
    });
    expect(JSON.parse(res.choices[0]?.message.content ?? 'null')).toEqual({ name: 'Ada', languages: ['en', 'fr'] });
  });
});

describe('stream', () => {
  it('reassembles text cut at arbitrary byte boundaries, multi-byte characters included', async () => {
    fake.enqueue(reply.stream(textChunks(MULTIBYTE, { parts: 7 })));
    const chunks = await collect(
      await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true }),
    );
    expect(contentOf(chunks)).toBe(MULTIBYTE);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
  });

  it('delivers the stream to a raw client in many separate reads', async () => {
    const chunks = textChunks(MULTIBYTE, { parts: 3 });
    fake.enqueue(reply.stream(chunks));
    const reads: Buffer[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(
        `${fake.url}/chat/completions`,
        { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } },
        (res) => {
          res.on('data', (read: Buffer) => reads.push(read));
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'gpt-4o-mini', messages: hello, stream: true }));
    });
    const expected = [...chunks.map((c) => sseFrame(JSON.stringify(c))), sseFrame('[DONE]')].join('');
    expect(Buffer.concat(reads).toString('utf8')).toBe(expected);
    expect(reads.length).toBeGreaterThan(2 * (chunks.length + 1));
  });

  it('streams the echo by default', async () => {
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: MULTIBYTE }],
        stream: true,
      }),
    );
    expect(contentOf(chunks)).toBe(MULTIBYTE);
  });

  it('adds usage: null to every chunk and a last choices: [] chunk with usage when include_usage is asked', async () => {
    fake.enqueue(reply.stream(textChunks('Hi there'), { usage: usage({ prompt: 30, completion: 2, cached: 16 }) }));
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 2, total_tokens: 32 });
    expect(last?.usage?.prompt_tokens_details?.cached_tokens).toBe(16);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams two parallel tool calls with distinct indices whose argument deltas interleave', async () => {
    fake.enqueue(reply.stream(toolCallChunks()));
    const chunks = await collect(
      await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true }),
    );
    const deltas = chunks.flatMap((c) => c.choices.flatMap((choice) => choice.delta.tool_calls ?? []));
    const order = deltas.filter((d) => d.function?.arguments).map((d) => d.index);
    expect(order.slice(0, 4)).toEqual([0, 1, 0, 1]);
    const byIndex = new Map<number, { id?: string; name?: string; args: string }>();
    for (const delta of deltas) {
      const call = byIndex.get(delta.index) ?? { args: '' };
      if (delta.id !== undefined) call.id = delta.id;
      if (delta.function?.name !== undefined) call.name = delta.function.name;
      call.args += delta.function?.arguments ?? '';
      byIndex.set(delta.index, call);
    }
    expect([...byIndex.entries()]).toEqual(
      TWO_WEATHER_CALLS.map((call, index) => [index, { id: call.id, name: call.name, args: call.arguments }]),
    );
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('the SDK stream helper assembles the same tool calls', async () => {
    fake.enqueue(reply.stream(toolCallChunks(TWO_WEATHER_CALLS, { parts: 5 })));
    const final = await client()
      .chat.completions.stream({ model: 'gpt-4o-mini', messages: hello })
      .finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? c.function.arguments : ''))).toEqual(
      TWO_WEATHER_CALLS.map((c) => c.arguments),
    );
  });

  it('cuts the connection mid-stream when told to, and the SDK reports an error', async () => {
    fake.enqueue(reply.stream(textChunks('one two three four five six', { parts: 6 }), { disconnectAfterChunks: 3 }));
    const received: ChatCompletionChunk[] = [];
    const run = async (): Promise<void> => {
      for await (const chunk of await client().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: hello,
        stream: true,
      })) {
        received.push(chunk);
      }
    };
    await expect(run()).rejects.toThrow();
    expect(received.length).toBeLessThanOrEqual(3);
    expect(fake.requests[0]?.clientAborted).toBe(false);
  });

  it('sends a malformed line when told to, which the SDK cannot parse', async () => {
    fake.enqueue(reply.stream(textChunks('abc'), { malformed: { afterChunks: 2 } }));
    const run = async (): Promise<unknown> =>
      collect(await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true }));
    const logged: unknown[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => void logged.push(args); // the SDK logs the unparsable line before throwing
    try {
      await expect(run()).rejects.toThrow(SyntaxError);
    } finally {
      console.error = consoleError;
    }
    expect(JSON.stringify(logged)).toContain('Could not parse message into JSON');
  });

  it('waits chunkDelayMs before each chunk', async () => {
    fake.enqueue(reply.stream(textChunks('slow reply', { parts: 2 }), { chunkDelayMs: 25 }));
    const started = performance.now();
    const chunks = await collect(
      await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello, stream: true }),
    );
    expect(contentOf(chunks)).toBe('slow reply');
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 25 - 5);
  });
});

describe('client aborts', () => {
  it('records that the client went away during a delayed answer', async () => {
    fake.enqueue(reply.text('too late', { delayMs: 5000 }));
    const controller = new AbortController();
    const pending = client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: hello }, { signal: controller.signal })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await pending;
    const deadline = Date.now() + 2000;
    while (fake.requests[0]?.clientAborted !== true && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.requests[0]?.clientAborted).toBe(true);
  });
});

describe('errors', () => {
  it('rejects a wrong key with 401 and OpenAI’s invalid_api_key body, leaving the queue alone', async () => {
    fake.enqueue(reply.text('not for you'));
    const err: unknown = await client({ apiKey: 'sk-wrong-key-000000000000' })
      .chat.completions.create({ model: 'gpt-4o-mini', messages: hello })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    const auth = err as AuthenticationError;
    expect(auth.status).toBe(401);
    expect(auth.code).toBe('invalid_api_key');
    expect(auth.type).toBe('invalid_request_error');
    expect(auth.param).toBeNull();
    expect(auth.message).toMatch(/Incorrect API key provided: sk-\*+0000\./);
    expect(auth.message).not.toContain('sk-wrong-key-000000000000');
    expect(fake.pending()).toBe(1);
    const res = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(res.choices[0]?.message.content).toBe('not for you');
  });

  it('returns 429 with retry-after, which the SDK surfaces', async () => {
    fake.enqueue(reply.rateLimit(7));
    const err: unknown = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: hello })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    const limited = err as RateLimitError;
    expect(limited.status).toBe(429);
    expect(limited.code).toBe('rate_limit_exceeded');
    expect(limited.headers.get('retry-after')).toBe('7');
  });

  it('lets the SDK retry after the retry-after it was given', async () => {
    fake.enqueue(reply.rateLimit(0.05), reply.text('second time lucky'));
    const started = performance.now();
    const res = await client({ maxRetries: 1 }).chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(res.choices[0]?.message.content).toBe('second time lucky');
    expect(fake.requests).toHaveLength(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('returns scripted server errors and 404 for unknown routes', async () => {
    fake.enqueue(reply.serverError(502));
    const err = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages: hello })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, type: 'server_error' });
    const res = await fetch(`${fake.url}/audio/speech`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${KEY}` },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { message: 'Invalid URL (POST /v1/audio/speech)', type: 'invalid_request_error', param: null, code: null },
    });
  });
});

describe('fixed-latency mode', () => {
  const fixedClient = (): OpenAI => new OpenAI({ baseURL: fixed.url, apiKey: KEY, maxRetries: 0, timeout: 5000 });

  it('waits latencyMs, then answers non-stream and stream requests with a constant reply', async () => {
    let started = performance.now();
    const res = await fixedClient().chat.completions.create({ model: 'gpt-4o-mini', messages: hello });
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    expect(res.choices[0]?.message.content).toMatch(/fixed reply/);
    started = performance.now();
    const chunks = await collect(
      await fixedClient().chat.completions.create({
        model: 'gpt-4o-mini',
        messages: hello,
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
    expect(contentOf(chunks)).toBe(res.choices[0]?.message.content);
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
    expect(fixed.requests).toHaveLength(0);
  });
});

describe('byte splitter', () => {
  const bytes = Buffer.from(
    textChunks(MULTIBYTE, { parts: 3 })
      .map((c) => sseFrame(JSON.stringify(c)))
      .join(''),
  );

  it('is deterministic per seed and loses no byte', () => {
    const a = splitBytes(bytes, { seed: 9, maxPieceBytes: 7 });
    expect(splitBytes(bytes, { seed: 9, maxPieceBytes: 7 })).toEqual(a);
    expect(splitBytes(bytes, { seed: 10, maxPieceBytes: 7 })).not.toEqual(a);
    expect(Buffer.concat(a).equals(bytes)).toBe(true);
    expect(a.every((piece) => piece.length >= 1 && piece.length <= 7)).toBe(true);
    expect(seededRandom(3)()).toBe(seededRandom(3)());
  });

  it('cuts inside multi-byte characters and inside data: prefixes', () => {
    const cuts: number[] = [];
    let at = 0;
    for (const piece of splitBytes(bytes, { seed: 42, maxPieceBytes: 5 }).slice(0, -1)) cuts.push((at += piece.length));
    const isContinuation = (offset: number): boolean => ((bytes[offset] ?? 0) & 0xc0) === 0x80;
    expect(cuts.some(isContinuation)).toBe(true);
    const prefixStarts: number[] = [];
    for (let i = bytes.indexOf('data:'); i >= 0; i = bytes.indexOf('data:', i + 1)) prefixStarts.push(i);
    expect(cuts.some((cut) => prefixStarts.some((start) => cut > start && cut < start + 5))).toBe(true);
  });
});
