import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { bedrockReply, bedrockUsage, exceptionFrame } from '../fakes/fake-bedrock.js';
import { reply as openaiReply, textChunks } from '../fakes/fake-openai.js';
import { collectEvents, toolInputOf } from '../helpers/anthropic-events.js';
import { bedrockFixture } from '../helpers/bedrock-gateway.js';
import { ledgerOf } from '../helpers/ledger.js';

// A Bedrock alias seen from the Anthropic SDK (/v1/messages) and the Responses API, a fallback alias Bedrock → OpenAI,
// and the books: cache reads and writes priced from the ledger.

const fixture = bedrockFixture();
const messagesAsk = {
  model: 'claude',
  max_tokens: 256,
  system: 'Be brief.',
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
};

it('Anthropic SDK, JSON: text and cache counts as Anthropic reports them (input without the cached part)', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.text('Sunny.', { usage: bedrockUsage({ input: 10, output: 3, cacheRead: 500, cacheWrite: 50 }) }),
  );
  const message = await fixture.anthropic.messages.create(messagesAsk);
  expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny.' })]);
  expect(message.stop_reason).toBe('end_turn');
  expect(message.usage).toMatchObject({
    input_tokens: 10,
    output_tokens: 3,
    cache_read_input_tokens: 500,
    cache_creation_input_tokens: 50,
  });
  expect(fixture.bedrock.requests[0]?.body).toMatchObject({
    system: [{ text: 'Be brief.' }],
    inferenceConfig: { maxTokens: 256 },
  });
});

it('Anthropic SDK, stream: text then a tool_use block with its streamed input; stop_reason tool_use', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.answer([
      { text: 'Checking.' },
      { toolUse: { toolUseId: 'tooluse_p', name: 'get_weather', input: { city: 'Paris' } } },
    ]),
  );
  const events = await collectEvents(
    await fixture.anthropic.messages.create({
      ...messagesAsk,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      stream: true,
    }),
  );
  const text = events
    .flatMap((e) => (e.type === 'content_block_delta' && e.delta.type === 'text_delta' ? [e.delta.text] : []))
    .join('');
  expect(text).toBe('Checking.');
  const toolStart = events.find((e) => e.type === 'content_block_start' && e.content_block.type === 'tool_use');
  expect(toolStart).toMatchObject({ content_block: { type: 'tool_use', id: 'tooluse_p', name: 'get_weather' } });
  expect(toolInputOf(events, toolStart?.type === 'content_block_start' ? toolStart.index : -1)).toEqual({
    city: 'Paris',
  });
  expect(events.find((e) => e.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'tool_use' } });
  expect(events.at(-1)?.type).toBe('message_stop');
});

it('Anthropic SDK: a stop sequence comes back named (Claude on Bedrock asked for /stop_sequence), JSON and stream', async () => {
  const stopped = { stopReason: 'stop_sequence', fields: { stop_sequence: 'END' } };
  fixture.bedrock.enqueue(bedrockReply.text('one two ', stopped), bedrockReply.text('one two ', stopped));
  const message = await fixture.anthropic.messages.create({ ...messagesAsk, stop_sequences: ['END'] });
  expect([message.stop_reason, message.stop_sequence]).toEqual(['stop_sequence', 'END']);
  const events = await collectEvents(
    await fixture.anthropic.messages.create({ ...messagesAsk, stop_sequences: ['END'], stream: true }),
  );
  expect(events.find((e) => e.type === 'message_delta')).toMatchObject({
    delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' },
  });
  expect(fixture.bedrock.requests[0]?.body).toMatchObject({
    inferenceConfig: { stopSequences: ['END'] },
    additionalModelResponseFieldPaths: ['/stop_sequence'],
  });
});

it('Responses API, JSON: output_text and usage', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.text('Bonjour', { usage: bedrockUsage({ input: 20, output: 2, cacheRead: 8 }) }),
  );
  const response = await fixture.client.responses.create({
    model: 'claude',
    instructions: 'Answer in French.',
    input: 'Say hi',
    store: false,
  });
  expect(response.status).toBe('completed');
  expect(response.output_text).toBe('Bonjour');
  expect(response.usage).toMatchObject({
    input_tokens: 28,
    output_tokens: 2,
    input_tokens_details: { cached_tokens: 8 },
  });
  expect(fixture.bedrock.requests[0]?.body.system).toEqual([{ text: 'Answer in French.' }]);
});

it('Responses API, stream: text deltas and a completed response', async () => {
  fixture.bedrock.enqueue(bedrockReply.text('Salut à toi'));
  const stream = await fixture.client.responses.create({
    model: 'claude',
    input: 'Say hi',
    stream: true,
    store: false,
  });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  const text = events.flatMap((e) => (e.type === 'response.output_text.delta' ? [e.delta] : [])).join('');
  expect(text).toBe('Salut à toi');
  expect(events.at(-1)).toMatchObject({ type: 'response.completed', response: { status: 'completed' } });
});

it('fallback alias: Bedrock throttled (429 ThrottlingException) → OpenAI answers, JSON and stream', async () => {
  fixture.bedrock.enqueue(bedrockReply.throttled(), bedrockReply.throttled());
  fixture.openai.enqueue(openaiReply.text('from OpenAI'), openaiReply.stream(textChunks('streamed from OpenAI')));
  const { data, response } = await fixture.client.chat.completions
    .create({ model: 'fallback', messages: [{ role: 'user', content: 'Hi' }] })
    .withResponse();
  expect(data.choices[0]?.message.content).toBe('from OpenAI');
  expect([response.headers.get('x-gateway-provider'), response.headers.get('x-gateway-attempts')]).toEqual([
    'openai',
    '2',
  ]);
  const stream = await fixture.client.chat.completions.create({
    model: 'fallback',
    messages: [{ role: 'user', content: 'Hi' }],
    stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('streamed from OpenAI');
  expect(fixture.bedrock.requests.map((r) => r.operation)).toEqual(['converse', 'converse-stream']);
  expect(fixture.openai.requests).toHaveLength(2);
});

it('fallback alias, stream: a throttlingException event before any content still fails over to OpenAI', async () => {
  fixture.bedrock.enqueue(
    bedrockReply.events([
      { event: 'messageStart', payload: { role: 'assistant' } },
      exceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.'),
    ]),
  );
  fixture.openai.enqueue(openaiReply.stream(textChunks('OpenAI took over')));
  const { data: stream, response } = await fixture.client.chat.completions
    .create({ model: 'fallback', messages: [{ role: 'user', content: 'Hi' }], stream: true })
    .withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect([text, response.headers.get('x-gateway-provider')]).toEqual(['OpenAI took over', 'openai']);
});

it('books: 100 input + 2,000 cache write + 30,000 cache read + 700 output at 3 / 3.75 / 0.30 / 15 → 27,300 µ$', async () => {
  const counts = bedrockUsage({ input: 100, cacheWrite: 2_000, cacheRead: 30_000, output: 700 });
  fixture.bedrock.enqueue(
    bedrockReply.text('cached', { usage: counts }),
    bedrockReply.text('streamed', { usage: counts }),
  );
  const ask = { model: 'claude', messages: [{ role: 'user' as const, content: 'a long cached prompt' }] };
  await fixture.client.chat.completions.create(ask);
  const stream = await fixture.client.chat.completions.create({ ...ask, stream: true });
  for await (const _chunk of stream);
  const { records } = await ledgerOf(fixture.gateway.store.endpoint);
  const booked = records.filter((r) => r.provider?.S === 'bedrock' && r.cachedTokens?.N === '30000');
  expect(
    booked.map((r) => [r.costMicros?.N, r.cachedTokens?.N, r.cacheWriteTokens?.N, r.inputTokens?.N, r.outputTokens?.N]),
  ).toEqual([
    ['27300', '30000', '2000', '32100', '700'],
    ['27300', '30000', '2000', '32100', '700'],
  ]);
});
