import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { reply, startFakeOpenAI, textChunks, textCompletion, toolCallChunks, usage } from '../fakes/fake-openai.js';
import { collectEvents, expectSequentialBlocks, toolInputOf } from '../helpers/anthropic-events.js';
import { anthropicFailure as failure } from '../helpers/api-error.js';
import { anthropicClient, chatFixture } from '../helpers/chat-gateway.js';

// @anthropic-ai/sdk → gateway /v1/messages → fake OpenAI (SSE split at arbitrary byte boundaries): an Anthropic
// client on an OpenAI target, both directions of the translation and the Anthropic error shape.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }));

const weatherTool = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
};
const ask = {
  model: 'target',
  max_tokens: 300,
  messages: [{ role: 'user' as const, content: 'Weather in Paris and Tokyo?' }],
};

it('non-stream: an Anthropic Message for the alias; upstream gets the OpenAI request with its own model and key', async () => {
  fixture.fake.enqueue(reply.text('Bonjour', { usage: usage({ prompt: 20, completion: 3, cached: 8 }) }));
  const { data, response } = await fixture.anthropic.messages
    .create({ ...ask, system: 'Be terse.', stop_sequences: ['END'], metadata: { user_id: 'user-7' } })
    .withResponse();
  expect(data).toEqual({
    id: expect.stringMatching(/^msg_/),
    type: 'message',
    role: 'assistant',
    model: 'target',
    content: [{ type: 'text', text: 'Bonjour' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: expect.objectContaining({
      input_tokens: 12,
      output_tokens: 3,
      cache_read_input_tokens: 8,
      cache_creation_input_tokens: 0,
    }),
  });
  const upstream = fixture.fake.requests[0];
  expect(upstream?.body).toEqual({
    model: 'openai-upstream-model',
    messages: [
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Weather in Paris and Tokyo?' },
    ],
    max_completion_tokens: 300,
    stop: ['END'],
    user: 'user-7',
    stream: false,
  });
  expect(upstream?.headers.authorization).toBe('Bearer sk-upstream-openai-key');
  expect(upstream?.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  expect(response.headers.get('x-gateway-provider')).toBe('upstream');
  expect(response.headers.get('x-gateway-model')).toBe('openai-upstream-model');
  expect(response.headers.get('x-gateway-attempts')).toBe('1');
});

it('non-stream tool use: tool_calls → tool_use blocks with parsed input; tools and tool_choice translated upstream', async () => {
  fixture.fake.enqueue(reply.toolCalls());
  const done = await fixture.anthropic.messages.create({
    ...ask,
    tools: [weatherTool],
    tool_choice: { type: 'any', disable_parallel_tool_use: false },
  });
  expect(done.stop_reason).toBe('tool_use');
  expect(done.content).toEqual([
    {
      type: 'tool_use',
      id: 'call_fakeParis0001',
      name: 'get_weather',
      input: { city: 'Paris', unit: 'celsius' },
      caller: { type: 'direct' },
    },
    {
      type: 'tool_use',
      id: 'call_fakeTokyo0002',
      name: 'get_weather',
      input: { city: 'Tokyo', unit: 'celsius' },
      caller: { type: 'direct' },
    },
  ]);
  expect(fixture.fake.requests[0]?.body).toMatchObject({
    tools: [
      {
        type: 'function',
        function: { name: 'get_weather', description: 'Weather of a city', parameters: weatherTool.input_schema },
      },
    ],
    tool_choice: 'required',
  });
});

it('stream: byte-split OpenAI chunks become Anthropic events the SDK assembles; usage in message_delta', async () => {
  fixture.fake.enqueue(
    reply.stream(textChunks('Héllo wörld — ünïcode ✓ across splits', { parts: 7 }), {
      usage: usage({ prompt: 40, completion: 9, cached: 32 }),
    }),
  );
  const stream = fixture.anthropic.messages.stream(ask);
  let text = '';
  stream.on('text', (delta) => (text += delta));
  const message = await stream.finalMessage();
  expect(text).toBe('Héllo wörld — ünïcode ✓ across splits');
  expect(message.content).toEqual([{ type: 'text', text: 'Héllo wörld — ünïcode ✓ across splits' }]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage).toMatchObject({ input_tokens: 8, output_tokens: 9, cache_read_input_tokens: 32 });
  expect(fixture.fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
});

it('stream: interleaved parallel tool calls become whole tool_use blocks in order, arguments intact', async () => {
  fixture.fake.enqueue(reply.stream(toolCallChunks()));
  const events = await collectEvents(
    await fixture.anthropic.messages.create({ ...ask, tools: [weatherTool], stream: true }),
  );
  expectSequentialBlocks(events);
  const starts = events.flatMap((e) => (e.type === 'content_block_start' ? [e.content_block] : []));
  expect(starts.map((b) => (b.type === 'tool_use' ? b.id : b.type))).toEqual([
    'call_fakeParis0001',
    'call_fakeTokyo0002',
  ]);
  expect(toolInputOf(events, 0)).toEqual({ city: 'Paris', unit: 'celsius' });
  expect(toolInputOf(events, 1)).toEqual({ city: 'Tokyo', unit: 'celsius' });
  expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'tool_use' } });
  expect(events.at(-1)?.type).toBe('message_stop');
});

it('finish_reason length → stop_reason max_tokens', async () => {
  fixture.fake.enqueue(reply.json(textCompletion('cut sh', { finishReason: 'length' })));
  expect((await fixture.anthropic.messages.create(ask)).stop_reason).toBe('max_tokens');
});

it('output_config json_schema → response_format json_schema upstream; the JSON comes back as text', async () => {
  fixture.fake.enqueue(reply.jsonSchema({ city: 'Paris', temperature: 21 }));
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' }, temperature: { type: 'number' } },
    required: ['city', 'temperature'],
  };
  const done = await fixture.anthropic.messages.create({
    ...ask,
    output_config: { format: { type: 'json_schema', schema } },
  });
  const first = done.content[0];
  expect(first?.type === 'text' ? JSON.parse(first.text) : undefined).toEqual({ city: 'Paris', temperature: 21 });
  expect(fixture.fake.requests[0]?.body).toMatchObject({
    response_format: { type: 'json_schema', json_schema: { name: 'output', schema } },
  });
});

describe('errors, in the Anthropic shape', () => {
  it('a body the schema refuses → 400 invalid_request_error naming the field, nothing sent upstream', async () => {
    const err = await failure(
      fixture.anthropic.messages.create({
        ...ask,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }],
      } as unknown as Parameters<typeof fixture.anthropic.messages.create>[0]),
    );
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.type).toBe('invalid_request_error');
    expect(err.errorCode).toBe('invalid_request_body');
    expect(err.apiMessage).toContain('messages[0].content[0].cache_control.type');
    expect(err.error).toEqual({
      type: 'error',
      error: expect.objectContaining({ type: 'invalid_request_error' }),
      request_id: err.headers?.get('x-request-id'),
    });
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('malformed JSON → 400 in the Anthropic shape', async () => {
    const res = await fetch(`${fixture.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.gateway.devKey.key}` },
      body: '{"model":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', details: { error_code: 'invalid_json' } },
    });
  });

  it('an unknown alias → 404 not_found_error', async () => {
    const err = await failure(fixture.anthropic.messages.create({ ...ask, model: 'no-such-alias' }));
    expect(err).toBeInstanceOf(NotFoundError);
    expect([err.type, err.errorCode]).toEqual(['not_found_error', 'model_not_found']);
  });

  it('upstream 429 → 429 rate_limit_error with Retry-After; upstream 500 → 502 api_error', async () => {
    fixture.fake.enqueue(reply.rateLimit(7));
    const limited = await failure(fixture.anthropic.messages.create(ask));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited.type).toBe('rate_limit_error');
    expect(limited.headers?.get('retry-after')).toBe('7');
    fixture.fake.enqueue(reply.serverError(500));
    const failed = await failure(fixture.anthropic.messages.create(ask));
    expect(failed).toBeInstanceOf(InternalServerError);
    expect([failed.status, failed.type]).toEqual([502, 'api_error']);
  });

  it('a stream cut mid-way: the text so far, then an error event the SDK raises', async () => {
    fixture.fake.enqueue(
      reply.stream(textChunks('one two three four five six', { parts: 6 }), { disconnectAfterChunks: 3 }),
    );
    const stream = await fixture.anthropic.messages.create({ ...ask, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const event of stream)
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).type).toBe('api_error');
    expect((err as APIError).error).toMatchObject({
      type: 'error',
      error: { details: { error_code: 'upstream_stream_error' } },
    });
    expect(text.length).toBeGreaterThan(0);
    expect('one two three four five six'.startsWith(text)).toBe(true);
  });
});

describe('keys', () => {
  it('x-api-key works where the authorizer is not cached (this gateway: cacheTtlSeconds 0)', async () => {
    fixture.fake.enqueue(reply.text('via x-api-key'));
    const res = await fetch(`${fixture.gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': fixture.gateway.devKey.key,
        'anthropic-version': '2023-06-01',
      },
      body: JSON.stringify(ask),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: 'message', content: [{ type: 'text', text: 'via x-api-key' }] });
  });

  it('a wrong key → 401 (answered at the edge), which the SDK raises as AuthenticationError', async () => {
    const err = await failure(anthropicClient(fixture.gateway.url, 'lgw_not-a-key').messages.create(ask));
    expect(err).toBeInstanceOf(AuthenticationError);
  });
});

describe('Idempotency-Key', () => {
  const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } });

  it('a retry gets the stored Message without a second upstream call', async () => {
    fixture.fake.enqueue(reply.text('first answer'));
    const first = await fixture.anthropic.messages.create(ask, withKey('m-same')).withResponse();
    const again = await fixture.anthropic.messages.create(ask, withKey('m-same')).withResponse();
    expect(again.data).toEqual(first.data);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    expect(fixture.fake.requests).toHaveLength(1);
  });

  it('a stored error replays in the Anthropic shape', async () => {
    const bad = { ...ask, model: 'no-such-alias' };
    const first = await failure(fixture.anthropic.messages.create(bad, withKey('m-error')));
    const again = await failure(fixture.anthropic.messages.create(bad, withKey('m-error')));
    expect(again.headers?.get('idempotent-replayed')).toBe('true');
    expect(again.error).toEqual(first.error);
    expect(again.type).toBe('not_found_error');
  });
});
