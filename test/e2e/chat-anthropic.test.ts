import { APIError } from 'openai';
import {
  errorAfterContentEvents,
  reply,
  startFakeAnthropic,
  textEvents,
  toolUseEvents,
  usage,
} from '../fakes/fake-anthropic.js';
import { apiFailure as failure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// openai SDK → gateway → fake Anthropic Messages API (SSE split at arbitrary byte boundaries): the translation both
// ways, seen from an OpenAI fixture.client.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { location: { type: 'string' }, unit: { type: 'string' } } },
  },
};
const ask = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Weather in Paris and Tokyo?' },
];

it('non-stream: system lifted to the top, default max_tokens, usage with cache tokens as OpenAI counts them', async () => {
  fixture.fake.enqueue(
    reply.text('Bonjour', { usage: usage({ input: 10, output: 4, cacheWrite: 100, cacheRead: 1000 }) }),
  );
  const { data, response } = await fixture.client.chat.completions
    .create({ model: 'target', messages: ask })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('Bonjour');
  expect(data.choices[0]?.finish_reason).toBe('stop');
  expect(data.usage).toMatchObject({
    prompt_tokens: 1110,
    completion_tokens: 4,
    total_tokens: 1114,
    prompt_tokens_details: { cached_tokens: 1000 },
  });
  const upstream = fixture.fake.requests[0];
  expect(upstream?.path).toBe('/v1/messages');
  expect(upstream?.body).toMatchObject({
    model: 'anthropic-upstream-model',
    system: 'You are terse.',
    max_tokens: 4096,
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Tokyo?' }] }],
  });
  expect(upstream?.headers['x-request-id']).toBe(response.headers.get('x-request-id'));
  expect(upstream?.headers['anthropic-version']).toBe('2026-10-21');
});

it('stream: byte-split events become OpenAI deltas, ping tolerated, one finish_reason', async () => {
  fixture.fake.enqueue(reply.stream(textEvents('Grüße aus Köln — 東京 ✓ split', { parts: 6 })));
  const stream = await fixture.client.chat.completions.create({ model: 'target', messages: ask, stream: true });
  let text = '';
  const finishes: string[] = [];
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
  }
  expect(text).toBe('Grüße aus Köln — 東京 ✓ split');
  expect(finishes).toEqual(['stop']);
});

it('stream with include_usage: the usage chunk, cache tokens included in prompt_tokens', async () => {
  fixture.fake.enqueue(
    reply.stream(textEvents('ok', { usage: usage({ input: 5, output: 1, cacheWrite: 20, cacheRead: 300 }) })),
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
    prompt_tokens: 325,
    completion_tokens: 1,
    prompt_tokens_details: { cached_tokens: 300 },
  });
});

it('two parallel tool calls, non-stream: tool_use → tool_calls; tools translated upstream', async () => {
  fixture.fake.enqueue(reply.toolUse());
  const done = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    tools: [weatherTool],
    parallel_tool_calls: true,
  });
  expect(done.choices[0]?.finish_reason).toBe('tool_calls');
  const calls = done.choices[0]?.message.tool_calls ?? [];
  expect(
    calls.map((c) => (c.type === 'function' ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : null)),
  ).toEqual([
    ['toolu_01A09q90qw90lq917835lq9', 'get_weather', { location: 'Paris', unit: 'celsius' }],
    ['toolu_01B2c3d4e5f6g7h8i9j0k1l2m', 'get_weather', { location: 'Tōkyō 東京', unit: 'celsius' }],
  ]);
  expect(fixture.fake.requests[0]?.body).toMatchObject({
    tools: [{ name: 'get_weather', input_schema: weatherTool.function.parameters }],
  });
});

it('two parallel tool calls, stream: indices 0 and 1 (not Anthropic block indices), arguments reassembled', async () => {
  fixture.fake.enqueue(reply.stream(toolUseEvents()));
  const stream = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    tools: [weatherTool],
    stream: true,
  });
  const calls = new Map<number, { id?: string; args: string }>();
  let finish: string | null | undefined;
  for await (const chunk of stream) {
    for (const delta of chunk.choices[0]?.delta.tool_calls ?? []) {
      const call = calls.get(delta.index) ?? { args: '' };
      if (delta.id) call.id = delta.id;
      call.args += delta.function?.arguments ?? '';
      calls.set(delta.index, call);
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  expect([...calls.keys()]).toEqual([0, 1]);
  expect(JSON.parse(calls.get(0)?.args ?? '')).toEqual({ location: 'Paris', unit: 'celsius' });
  expect(JSON.parse(calls.get(1)?.args ?? '')).toEqual({ location: 'Tōkyō 東京', unit: 'celsius' });
  expect(finish).toBe('tool_calls');
});

it('tool results round trip: assistant tool_calls and tool messages become tool_use and tool_result', async () => {
  fixture.fake.enqueue(reply.text('Paris 21°C, Tokyo 18°C'));
  await fixture.client.chat.completions.create({
    model: 'target',
    tools: [weatherTool],
    messages: [
      ...ask,
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '21°C' },
    ],
  });
  expect(fixture.fake.requests[0]?.body).toMatchObject({
    messages: [
      { role: 'user' },
      {
        role: 'assistant',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } }],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '21°C' }] },
    ],
  });
});

it('json_schema → output_config.format upstream; JSON back', async () => {
  fixture.fake.enqueue(reply.text('{"city":"Paris","temperature":21}'));
  const schema = { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } } };
  const done = await fixture.client.chat.completions.create({
    model: 'target',
    messages: ask,
    response_format: { type: 'json_schema', json_schema: { name: 'weather', schema } },
  });
  expect(JSON.parse(done.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', temperature: 21 });
  expect(fixture.fake.requests[0]?.body).toMatchObject({ output_config: { format: { type: 'json_schema', schema } } });
});

describe('errors', () => {
  it('temperature on an Anthropic target → 400 unsupported_parameter, nothing sent upstream', async () => {
    const err = await failure(
      fixture.client.chat.completions.create({ model: 'target', messages: ask, temperature: 0.2 }),
    );
    expect(err.status).toBe(400);
    expect(err.param).toBe('temperature');
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('401 → 502 without the provider text; 529 overloaded → 502; 429 → 429 with Retry-After', async () => {
    fixture.fake.enqueue(reply.unauthorized());
    const auth = await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }));
    expect([auth.status, auth.code]).toEqual([502, 'provider_authentication_failed']);
    expect(JSON.stringify(auth.error)).not.toContain('x-api-key');
    fixture.fake.enqueue(reply.overloaded());
    expect((await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }))).status).toBe(
      502,
    );
    fixture.fake.enqueue(reply.rateLimit(9));
    const limited = await failure(fixture.client.chat.completions.create({ model: 'target', messages: ask }));
    expect(limited.status).toBe(429);
    expect(limited.headers?.get('retry-after')).toBe('9');
  });

  it('an error event after the 200 reaches the client as an SSE error after the content it had', async () => {
    fixture.fake.enqueue(reply.stream(errorAfterContentEvents('partial answer', 'overloaded_error')));
    const stream = await fixture.client.chat.completions.create({ model: 'target', messages: ask, stream: true });
    let text = '';
    const err = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(text).toBe('partial answer');
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).code).toBe('upstream_overloaded');
  });
});
