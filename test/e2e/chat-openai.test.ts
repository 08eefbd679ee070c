import { APIError } from 'openai';
import { reply, startFakeOpenAI, textChunks, toolCallChunks, usage } from '../fakes/fake-openai.js';
import { apiFailure as failure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// openai SDK → gateway → fake OpenAI (SSE split at arbitrary byte boundaries), for an OpenAI target.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }));

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } },
  },
};
const ask = [{ role: 'user' as const, content: 'Weather in Paris and Tokyo?' }];

it('non-stream: the upstream gets the target model, its own key and our request id; the client gets the alias', async () => {
  fixture.fake.enqueue(reply.text('Bonjour', { usage: usage({ prompt: 20, completion: 3, cached: 8 }) }));
  const { data, response } = await fixture.client.chat.completions
    .create({ model: 'target', messages: ask })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('Bonjour');
  expect(data.model).toBe('target');
  expect(data.usage).toMatchObject({
    prompt_tokens: 20,
    completion_tokens: 3,
    total_tokens: 23,
    prompt_tokens_details: { cached_tokens: 8 },
  });
  const upstream = fixture.fake.requests[0];
  expect(upstream?.body).toMatchObject({ model: 'openai-upstream-model', messages: ask });
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-openai-key');
  expect(upstream?.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  expect(response.headers.get('x-gateway-provider')).toBe('upstream');
  expect(response.headers.get('x-gateway-model')).toBe('openai-upstream-model');
});

it('stream: byte-split SSE reassembles into the same text, one finish_reason, no usage unless asked', async () => {
  fixture.fake.enqueue(reply.stream(textChunks('Héllo wörld — ünïcode ✓ across splits', { parts: 7 })));
  const stream = await fixture.client.chat.completions.create({ model: 'target', messages: ask, stream: true });
  let text = '';
  const finishes: string[] = [];
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    expect(chunk.usage ?? null).toBeNull();
  }
  expect(text).toBe('Héllo wörld — ünïcode ✓ across splits');
  expect(finishes).toEqual(['stop']);
});

it('stream with include_usage: the usage chunk last, cached tokens kept', async () => {
  fixture.fake.enqueue(
    reply.stream(textChunks('Counted', { parts: 2 }), { usage: usage({ prompt: 40, completion: 2, cached: 32 }) }),
  );
  const stream = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    stream: true,
    stream_options: { include_usage: true },
  });
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  expect(chunks.at(-1)?.choices).toEqual([]);
  expect(chunks.at(-1)?.usage).toMatchObject({
    prompt_tokens: 40,
    completion_tokens: 2,
    prompt_tokens_details: { cached_tokens: 32 },
  });
  expect(fixture.fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

it('two parallel tool calls, non-stream', async () => {
  fixture.fake.enqueue(reply.toolCalls());
  const done = await fixture.client.chat.completions.create({ model: 'target', messages: ask, tools: [weatherTool] });
  const calls = done.choices[0]?.message.tool_calls ?? [];
  expect(done.choices[0]?.finish_reason).toBe('tool_calls');
  expect(calls.map((c) => (c.type === 'function' ? [c.id, JSON.parse(c.function.arguments)] : null))).toEqual([
    ['call_fakeParis0001', { city: 'Paris', unit: 'celsius' }],
    ['call_fakeTokyo0002', { city: 'Tokyo', unit: 'celsius' }],
  ]);
  expect(fixture.fake.requests[0]?.body).toMatchObject({ tools: [weatherTool] });
});

it('two parallel tool calls, stream: distinct indices, interleaved argument deltas reassembled per call', async () => {
  fixture.fake.enqueue(reply.stream(toolCallChunks()));
  const stream = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    tools: [weatherTool],
    stream: true,
  });
  const calls = new Map<number, { id?: string; name?: string; args: string }>();
  for await (const chunk of stream) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = calls.get(delta.index) ?? { args: '' };
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      call.args += delta.function?.arguments ?? '';
      calls.set(delta.index, call);
    }
  }
  expect([...calls.keys()]).toEqual([0, 1]);
  expect(JSON.parse(calls.get(0)?.args ?? '')).toEqual({ city: 'Paris', unit: 'celsius' });
  expect(JSON.parse(calls.get(1)?.args ?? '')).toEqual({ city: 'Tokyo', unit: 'celsius' });
  expect(calls.get(1)).toMatchObject({ id: 'call_fakeTokyo0002', name: 'get_weather' });
});

it('json_schema: response_format goes upstream as given, JSON comes back', async () => {
  fixture.fake.enqueue(reply.jsonSchema({ city: 'Paris', temperature: 21 }));
  const format = {
    type: 'json_schema' as const,
    json_schema: {
      name: 'weather',
      strict: true,
      schema: { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } } },
    },
  };
  const done = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    response_format: format,
  });
  expect(JSON.parse(done.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', temperature: 21 });
  expect(fixture.fake.requests[0]?.body).toMatchObject({ response_format: format });
});

describe('upstream errors', () => {
  it("401 from the provider → 502 provider_authentication_failed, the provider's text about keys not passed on", async () => {
    fixture.fake.enqueue(
      reply.error(401, {
        message: 'Incorrect API key provided: sk-upstr****key',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      }),
    );
    const err = await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }));
    expect(err.status).toBe(502);
    expect(err.code).toBe('provider_authentication_failed');
    expect(JSON.stringify(err.error)).not.toContain('sk-upstr');
  });

  it('429 → 429 with Retry-After', async () => {
    fixture.fake.enqueue(reply.rateLimit(7));
    const err = await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }));
    expect(err.status).toBe(429);
    expect(err.headers?.get('retry-after')).toBe('7');
  });

  it("500 → 502; 400 → 400 with the provider's message", async () => {
    fixture.fake.enqueue(reply.serverError(500));
    expect((await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }))).status).toBe(
      502,
    );
    fixture.fake.enqueue(
      reply.error(400, {
        message: 'context length exceeded',
        type: 'invalid_request_error',
        code: 'context_length_exceeded',
      }),
    );
    const bad = await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }));
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('context length exceeded');
  });

  it('a stream cut mid-way ends with an SSE error the client can read', async () => {
    fixture.fake.enqueue(
      reply.stream(textChunks('one two three four five six', { parts: 6 }), { disconnectAfterChunks: 3 }),
    );
    const stream = await fixture.client.chat.completions.create({ model: 'target', messages: ask, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect(String((err as APIError).message)).toContain('stream failed');
    expect('one two three four five six'.startsWith(text)).toBe(true);
  });

  it('the client going away aborts the upstream call', async () => {
    fixture.fake.enqueue(reply.stream(textChunks('a b c d e f g h', { parts: 8 }), { chunkDelayMs: 200 }));
    const controller = new AbortController();
    const stream = await fixture.client.chat.completions.create(
      { model: 'target', messages: ask, stream: true },
      { signal: controller.signal },
    );
    const reader = stream[Symbol.asyncIterator]();
    await reader.next();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fixture.fake.requests[0]?.clientAborted).toBe(true);
  });
});
