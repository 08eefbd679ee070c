import { APIError, BadRequestError, InternalServerError } from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import {
  errorAfterContentEvents,
  reply,
  startFakeAnthropic,
  textEvents,
  toolUseEvents,
  usage,
} from '../fakes/fake-anthropic.js';
import { collectEvents, expectSequentialBlocks, toolInputOf } from '../helpers/anthropic-events.js';
import { anthropicFailure as failure } from '../helpers/api-error.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// @anthropic-ai/sdk → gateway /v1/messages → fake Anthropic (SSE split at arbitrary byte boundaries): Anthropic in,
// the canonical request in between, Anthropic out — what survives the round trip, and what the pinned API refuses.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

const weatherTool = {
  name: 'get_weather',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] },
};
const ask = {
  model: 'target',
  max_tokens: 512,
  messages: [{ role: 'user' as const, content: 'Weather in Paris and Tokyo?' }],
};

/** An agent turn as an app sends it: a question with a photo, the assistant's text and two tool calls, both results. */
const agentTurn: MessageParam[] = [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'Weather where this photo was taken, and in Tokyo?' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
    ],
  },
  {
    role: 'assistant',
    content: [
      { type: 'text', text: 'That is Paris.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tokyo' } },
    ],
  },
  {
    role: 'user',
    content: [
      { type: 'tool_result', tool_use_id: 'toolu_1', content: '21°C' },
      { type: 'tool_result', tool_use_id: 'toolu_2', content: '18°C' },
    ],
  },
];

it('an agent turn round-trips unchanged: system, image, tool_use, tool_result, tools, tool_choice, stop sequences, user id', async () => {
  fixture.fake.enqueue(
    reply.text('Paris 21°C, Tokyo 18°C', { usage: usage({ input: 10, output: 8, cacheWrite: 100, cacheRead: 1000 }) }),
  );
  const params = {
    model: 'target',
    max_tokens: 512,
    system: 'You are terse.',
    messages: agentTurn,
    tools: [weatherTool],
    tool_choice: { type: 'auto' as const, disable_parallel_tool_use: true },
    stop_sequences: ['###'],
    metadata: { user_id: 'user-9' },
  };
  const done = await fixture.anthropic.messages.create(params);
  expect(fixture.fake.requests[0]?.body).toEqual({ ...params, model: 'anthropic-upstream-model', stream: false });
  // The cache counts come back exactly as Anthropic reported them.
  expect(done.usage).toMatchObject({
    input_tokens: 10,
    output_tokens: 8,
    cache_creation_input_tokens: 100,
    cache_read_input_tokens: 1000,
  });
  expect(done.content).toEqual([{ type: 'text', text: 'Paris 21°C, Tokyo 18°C' }]);
});

it('stop_sequence and the sequence that matched survive, non-stream and stream', async () => {
  fixture.fake.enqueue(reply.text('one two', { stopReason: 'stop_sequence', stopSequence: '###' }));
  expect(await fixture.anthropic.messages.create({ ...ask, stop_sequences: ['###'] })).toMatchObject({
    stop_reason: 'stop_sequence',
    stop_sequence: '###',
  });
  fixture.fake.enqueue(reply.stream(textEvents('one two', { stopReason: 'stop_sequence', stopSequence: '###' })));
  const message = await fixture.anthropic.messages.stream({ ...ask, stop_sequences: ['###'] }).finalMessage();
  expect(message).toMatchObject({
    stop_reason: 'stop_sequence',
    stop_sequence: '###',
    content: [{ type: 'text', text: 'one two' }],
  });
});

it('stream with two parallel tool_use blocks: the same block indices as upstream, inputs intact, usage in message_delta', async () => {
  fixture.fake.enqueue(
    reply.stream(toolUseEvents(undefined, { usage: usage({ input: 30, output: 40, cacheRead: 200 }) })),
  );
  const events = await collectEvents(
    await fixture.anthropic.messages.create({ ...ask, tools: [weatherTool], stream: true }),
  );
  expectSequentialBlocks(events);
  expect(events.flatMap((e) => (e.type === 'content_block_start' ? [e.content_block.type] : []))).toEqual([
    'text',
    'tool_use',
    'tool_use',
  ]);
  expect(toolInputOf(events, 1)).toEqual({ location: 'Paris', unit: 'celsius' });
  expect(toolInputOf(events, 2)).toEqual({ location: 'Tōkyō 東京', unit: 'celsius' });
  expect(events.at(-2)).toMatchObject({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use' },
    usage: { input_tokens: 30, output_tokens: 40, cache_read_input_tokens: 200 },
  });
});

it('stream through the SDK helper: finalMessage() has the text and both tool calls', async () => {
  fixture.fake.enqueue(reply.stream(toolUseEvents()));
  const message = await fixture.anthropic.messages.stream({ ...ask, tools: [weatherTool] }).finalMessage();
  expect(
    message.content.map((block) =>
      block.type === 'tool_use' ? block.input : block.type === 'text' ? block.text : null,
    ),
  ).toEqual([
    'Let me check both cities.',
    { location: 'Paris', unit: 'celsius' },
    { location: 'Tōkyō 東京', unit: 'celsius' },
  ]);
  expect(message.stop_reason).toBe('tool_use');
});

it('output_config.format goes upstream as output_config.format (structured output on an Anthropic target)', async () => {
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
  fixture.fake.enqueue(reply.text('{"city":"Paris"}'));
  const done = await fixture.anthropic.messages.create({
    ...ask,
    output_config: { format: { type: 'json_schema', schema } },
  });
  expect(fixture.fake.requests[0]?.body).toMatchObject({ output_config: { format: { type: 'json_schema', schema } } });
  expect(done.content).toEqual([{ type: 'text', text: '{"city":"Paris"}' }]);
});

describe('errors, in the Anthropic shape', () => {
  it('temperature, which the pinned API version lacks → 400 unsupported_parameter, nothing sent upstream', async () => {
    const err = await failure(fixture.anthropic.post('/v1/messages', { body: { ...ask, temperature: 0.2 } }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect([err.type, err.errorCode]).toEqual(['invalid_request_error', 'unsupported_parameter']);
    expect(err.apiMessage).toContain('temperature');
    expect(fixture.fake.requests).toHaveLength(0);
  });

  it('upstream 529 overloaded → 502 overloaded_error', async () => {
    fixture.fake.enqueue(reply.overloaded());
    const err = await failure(fixture.anthropic.messages.create(ask));
    expect(err).toBeInstanceOf(InternalServerError);
    expect([err.status, err.type, err.errorCode]).toEqual([502, 'overloaded_error', 'upstream_overloaded']);
  });

  it('an error event after the 200 reaches the SDK as an error event, after the text it had', async () => {
    fixture.fake.enqueue(reply.stream(errorAfterContentEvents('partial answer', 'overloaded_error')));
    const stream = fixture.anthropic.messages.stream(ask);
    let text = '';
    stream.on('text', (delta) => (text += delta));
    const err = await stream.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).type).toBe('overloaded_error');
    expect(text).toBe('partial answer');
  });
});
