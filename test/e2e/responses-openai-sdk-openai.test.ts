import type { ChatCompletionCreateParams } from 'openai/resources/chat/completions';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { reply, startFakeOpenAI, textChunks, toolCallChunks, usage } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// The openai SDK's responses.create with its defaults → gateway /v1/responses → a fake OpenAI reached through chat
// completions (`api: "chat"`: the translation every non-OpenAI target gets; the native lane is
// responses-native-openai.test.ts).

const fixture = chatFixture(
  'openai',
  () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }),
  undefined,
  undefined,
  'chat',
);
const sent = (at = 0) => fixture.fake.requests[at]?.body as ChatCompletionCreateParams;

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Weather of a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

it('responses.create (JSON): a Response with output_text, usage and the request echoed; instructions lead the upstream call', async () => {
  fixture.fake.enqueue(reply.text('Bonjour', { usage: usage({ prompt: 20, completion: 3, cached: 8 }) }));
  const response = await fixture.client.responses.create({
    model: 'target',
    instructions: 'Answer in French.',
    input: 'Say hi',
    max_output_tokens: 50,
    temperature: 0.2,
    metadata: { trace: 'a1' },
    store: false,
  });
  expect(response).toMatchObject({
    object: 'response',
    status: 'completed',
    model: 'target',
    instructions: 'Answer in French.',
    max_output_tokens: 50,
    temperature: 0.2,
    metadata: { trace: 'a1' },
    store: false,
    usage: {
      input_tokens: 20,
      output_tokens: 3,
      total_tokens: 23,
      input_tokens_details: { cached_tokens: 8 },
      output_tokens_details: { reasoning_tokens: 0 },
    },
  });
  expect(response.id).toMatch(/^resp_req_/);
  expect(response.output_text).toBe('Bonjour');
  expect(sent()).toMatchObject({
    model: 'openai-upstream-model',
    messages: [
      { role: 'system', content: 'Answer in French.' },
      { role: 'user', content: [{ type: 'text', text: 'Say hi' }] },
    ],
    max_completion_tokens: 50,
    temperature: 0.2,
  });
  expect(sent()).not.toHaveProperty('metadata');
  expect(sent()).not.toHaveProperty('store');
});

it('responses.create (stream): the documented event sequence, numbered, ending with response.completed', async () => {
  fixture.fake.enqueue(reply.stream(textChunks('Hello there', { parts: 3 })));
  const stream = await fixture.client.responses.create({ model: 'target', input: 'Hi', stream: true, store: false });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const types = events.map((event) => event.type);
  expect(types.slice(0, 4)).toEqual([
    'response.created',
    'response.in_progress',
    'response.output_item.added',
    'response.content_part.added',
  ]);
  expect(types.slice(-5)).toEqual([
    'response.output_text.delta',
    'response.output_text.done',
    'response.content_part.done',
    'response.output_item.done',
    'response.completed',
  ]);
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
  expect(deltas.join('')).toBe('Hello there');
  const completed = events.at(-1);
  expect(completed?.type === 'response.completed' && completed.response.output).toEqual([
    expect.objectContaining({
      type: 'message',
      status: 'completed',
      content: [expect.objectContaining({ text: 'Hello there' })],
    }),
  ]);
  expect(completed?.type === 'response.completed' && completed.response.usage?.output_tokens).toBeGreaterThan(0);
});

it('a multi-turn tool loop: parallel calls are separate function_call items; function_call_output goes back as tool messages', async () => {
  fixture.fake.enqueue(reply.stream(toolCallChunks()), reply.text('Paris 18°C, Tokyo 22°C'));
  const input: ResponseInputItem[] = [{ role: 'user', content: 'Weather in Paris and Tokyo?' }];
  const stream = await fixture.client.responses.create({
    model: 'target',
    input,
    tools: [WEATHER_TOOL],
    stream: true,
    store: false,
  });
  let first;
  for await (const event of stream) if (event.type === 'response.completed') first = event.response;
  const calls = (first?.output ?? []).flatMap((item) => (item.type === 'function_call' ? [item] : []));
  expect(calls.map((call) => [call.call_id, call.name, JSON.parse(call.arguments)])).toEqual([
    ['call_fakeParis0001', 'get_weather', { city: 'Paris', unit: 'celsius' }],
    ['call_fakeTokyo0002', 'get_weather', { city: 'Tokyo', unit: 'celsius' }],
  ]);
  input.push(
    ...calls,
    ...calls.map((call, i) => ({
      type: 'function_call_output' as const,
      call_id: call.call_id,
      output: `${18 + 4 * i}°C`,
    })),
  );
  const second = await fixture.client.responses.create({ model: 'target', input, tools: [WEATHER_TOOL], store: false });
  expect(second.output_text).toBe('Paris 18°C, Tokyo 22°C');
  expect(sent(1).messages.slice(1)).toEqual([
    {
      role: 'assistant',
      content: null,
      tool_calls: calls.map((call) => ({
        id: call.call_id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    },
    { role: 'tool', tool_call_id: 'call_fakeParis0001', content: '18°C' },
    { role: 'tool', tool_call_id: 'call_fakeTokyo0002', content: '22°C' },
  ]);
  expect(sent(1).tools?.[0]).toEqual({
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather of a city',
      parameters: WEATHER_TOOL.parameters,
      strict: true,
    },
  });
});

it('structured output: text.format json_schema becomes response_format; responses.parse reads output_parsed', async () => {
  fixture.fake.enqueue(reply.text('{"name":"Ada","age":36}'));
  const schema = {
    type: 'object',
    properties: { name: { type: 'string' }, age: { type: 'integer' } },
    required: ['name', 'age'],
    additionalProperties: false,
  };
  const parsed = await fixture.client.responses.parse({
    model: 'target',
    input: 'Who?',
    text: { format: { type: 'json_schema', name: 'person', schema, strict: true } },
    store: false,
  });
  expect(parsed.output_parsed).toEqual({ name: 'Ada', age: 36 });
  expect(sent().response_format).toEqual({
    type: 'json_schema',
    json_schema: { name: 'person', schema, strict: true },
  });
});
