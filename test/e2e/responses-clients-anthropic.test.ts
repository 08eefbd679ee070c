import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { reply, startFakeAnthropic, usage } from '../fakes/fake-anthropic.js';
import { anthropicModel } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';
import {
  aiSdkGenerateObject,
  aiSdkGenerateText,
  aiSdkStreamTools,
  anthropicUpstream,
  EXPECTED_ANSWER,
  langChainInvoke,
  langChainStream,
  langChainToolLoop,
  openAISdkToolLoop,
} from '../helpers/responses-clients.js';

// The real clients on their defaults → /v1/responses → an Anthropic-backed alias (the canonical request translated).

const fixture = chatFixture('anthropic', () =>
  startFakeAnthropic({ apiKey: 'sk-ant-upstream', defaultReply: anthropicModel }),
);
const upstream = () => anthropicUpstream(fixture.fake);
const sent = (at = 0) => fixture.fake.requests[at]?.body as Record<string, unknown>;

it('openai SDK responses.create (JSON): instructions → system, max_output_tokens → max_tokens, reasoning.effort → output_config.effort; usage with cached tokens', async () => {
  fixture.fake.enqueue(reply.text('Bonjour', { usage: usage({ input: 10, output: 2, cacheRead: 6 }) }));
  const response = await fixture.client.responses.create({
    model: 'target',
    instructions: 'Answer in French.',
    input: 'Say hi',
    max_output_tokens: 64,
    reasoning: { effort: 'low' },
    store: false,
  });
  expect(response.output_text).toBe('Bonjour');
  expect(response.usage).toMatchObject({
    input_tokens: 16,
    output_tokens: 2,
    input_tokens_details: { cached_tokens: 6 },
  });
  expect(sent()).toMatchObject({ system: 'Answer in French.', max_tokens: 64, output_config: { effort: 'low' } });
});

it('openai SDK responses.create (stream): the documented event sequence ends with response.completed', async () => {
  upstream().say('Hello there', true);
  const stream = await fixture.client.responses.create({ model: 'target', input: 'Hi', stream: true, store: false });
  const events: ResponseStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
  expect(events[0]?.type).toBe('response.created');
  expect(events.at(-1)?.type).toBe('response.completed');
  const text = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : [])).join('');
  expect(text).toBe('Hello there');
});

it.each([false, true])(
  'openai SDK responses.create tool loop with function_call_output (stream: %s)',
  async (stream) => {
    expect(await openAISdkToolLoop(fixture, stream)).toBe(EXPECTED_ANSWER);
  },
);

it('openai SDK: structured output with text.format json_schema', async () => {
  upstream().say('{"name":"Ada","age":36}', false);
  const parsed = await fixture.client.responses.parse({
    model: 'target',
    input: 'Who?',
    store: false,
    text: {
      format: {
        type: 'json_schema',
        name: 'person',
        strict: true,
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, age: { type: 'integer' } },
          required: ['name', 'age'],
          additionalProperties: false,
        },
      },
    },
  });
  expect(parsed.output_parsed).toEqual({ name: 'Ada', age: 36 });
});

it('@ai-sdk/openai default provider: generateText', async () => {
  upstream().say('Hello from Claude', false);
  expect(await aiSdkGenerateText(fixture)).toBe('Hello from Claude');
});

it('@ai-sdk/openai default provider: streamText with tools and stopWhen runs the tool loop', async () => {
  expect(await aiSdkStreamTools(fixture)).toEqual({ text: EXPECTED_ANSWER, steps: 2 });
});

it('@ai-sdk/openai default provider: generateObject', async () => {
  upstream().say('{"name":"Ada","age":36}', false);
  expect(await aiSdkGenerateObject(fixture)).toEqual({ name: 'Ada', age: 36 });
});

it('LangChain ChatOpenAI({ useResponsesApi: true }): invoke and stream', async () => {
  upstream().say('Hi there', false);
  expect(await langChainInvoke(fixture)).toEqual([expect.objectContaining({ type: 'text', text: 'Hi there' })]);
  upstream().say('Streamed hi', true);
  expect(await langChainStream(fixture)).toBe('Streamed hi');
});

it('LangChain ChatOpenAI({ useResponsesApi: true }): bindTools loop', async () => {
  expect(await langChainToolLoop(fixture)).toBe(EXPECTED_ANSWER);
});
