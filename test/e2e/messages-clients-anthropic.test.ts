import Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';
import { createAnthropic } from '@ai-sdk/anthropic';
import { ChatAnthropic } from '@langchain/anthropic';
import type { UsageMetadata } from '@langchain/core/messages';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { reply, startFakeAnthropic, textEvents, toolUseEvents, usage } from '../fakes/fake-anthropic.js';
import { collectEvents } from '../helpers/anthropic-events.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// @ai-sdk/anthropic, LangChain ChatAnthropic and @anthropic-ai/sdk with their defaults (apiKey sent as x-api-key,
// their own retries) → gateway /v1/messages → fake Anthropic.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

const aiSdk = () => createAnthropic({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
const sdk = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const weather = {
  type: 'object' as const,
  properties: { city: { type: 'string' as const } },
  required: ['city'],
};

it('@ai-sdk/anthropic generateText parses the answer: text blocks carry no `citations: null`', async () => {
  fixture.fake.enqueue(reply.text('Bonjour'));
  const result = await generateText({ model: aiSdk()('target'), prompt: 'Say hi in French' });
  expect(result.text).toBe('Bonjour');
  expect(fixture.fake.requests).toHaveLength(1);
});

it('@ai-sdk/anthropic streamText with a tool streams the tool call; eager_input_streaming reaches Anthropic', async () => {
  fixture.fake.enqueue(reply.stream(toolUseEvents([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }])));
  const result = streamText({
    model: aiSdk()('target'),
    prompt: 'Weather in Paris?',
    tools: { get_weather: tool({ description: 'Weather of a city', inputSchema: jsonSchema(weather) }) },
  });
  const calls = await result.toolCalls;
  expect(calls.map((call) => [call.toolName, call.input])).toEqual([['get_weather', { city: 'Paris' }]]);
  const sent = fixture.fake.requests[0]?.body as { tools?: Record<string, unknown>[] };
  expect(sent.tools?.[0]).toHaveProperty('eager_input_streaming', true);
});

it('accepts `tools: []` and a tool description of 19,000 characters (as Claude Code sends)', async () => {
  fixture.fake.enqueue(reply.text('one'), reply.text('two'));
  const ask = { model: 'target', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };
  const empty = await sdk().messages.create({ ...ask, tools: [] });
  expect(empty.content).toEqual([{ type: 'text', text: 'one' }]);
  const long = await sdk().messages.create({
    ...ask,
    tools: [{ name: 'read_file', description: 'x'.repeat(19_000), input_schema: weather }],
  });
  expect(long.content).toEqual([{ type: 'text', text: 'two' }]);
  expect(fixture.fake.requests[0]?.body).not.toHaveProperty('tools');
});

it("message_start carries the upstream's own input counts: raw SSE and LangChain ChatAnthropic.stream", async () => {
  const counts = usage({ input: 12, output: 5, cacheRead: 7, cacheWrite: 3 });
  fixture.fake.enqueue(reply.stream(textEvents('Hello there', { usage: counts })));
  const events = await collectEvents(
    await sdk().messages.create({
      model: 'target',
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    }),
  );
  const start = events.find((event) => event.type === 'message_start');
  expect(start?.type === 'message_start' ? start.message.usage : undefined).toMatchObject({
    input_tokens: 12,
    cache_read_input_tokens: 7,
    cache_creation_input_tokens: 3,
  });

  fixture.fake.enqueue(reply.stream(textEvents('Hello there', { usage: counts })));
  const model = new ChatAnthropic({
    model: 'target',
    anthropicApiUrl: fixture.gateway.url,
    apiKey: fixture.gateway.devKey.key,
  });
  const reported: { input: number; cacheRead: number | undefined }[] = [];
  let text = '';
  for await (const chunk of await model.stream('hi')) {
    text += typeof chunk.content === 'string' ? chunk.content : '';
    const meta = (chunk as unknown as { usage_metadata?: UsageMetadata }).usage_metadata;
    if (meta !== undefined && meta.input_tokens > 0) {
      reported.push({ input: meta.input_tokens, cacheRead: meta.input_token_details?.cache_read });
    }
  }
  expect(text).toBe('Hello there');
  // LangChain reads input counts from message_start only: 12 + 7 read + 3 written, 7 of them read from the cache.
  expect(reported).toEqual([{ input: 12 + 7 + 3, cacheRead: 7 }]);
});

it('@anthropic-ai/sdk toolRunner (thread: create, then continue) runs its loop to the answer', async () => {
  fixture.fake.enqueue(
    reply.toolUse([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]),
    reply.text('Paris: 21°C'),
  );
  // The SDK's own fetch, watched: what each turn sent as `thread` and the status it got.
  const turns: { thread: unknown; status: number }[] = [];
  const client = new Anthropic({
    baseURL: fixture.gateway.url,
    apiKey: fixture.gateway.devKey.key,
    fetch: async (url: string | URL | Request, init?: RequestInit) => {
      const response = await fetch(url, init);
      const body = JSON.parse(String(init?.body)) as { thread?: unknown };
      turns.push({ thread: body.thread, status: response.status });
      return response;
    },
  });
  const runner = client.beta.messages.toolRunner({
    model: 'target',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [betaTool({ name: 'get_weather', description: 'Weather', inputSchema: weather, run: () => '21°C' })],
  });
  const final = await runner.runUntilDone();
  expect(final.content).toEqual([{ type: 'text', text: 'Paris: 21°C' }]);
  const bodies = fixture.fake.requests.map((request) => request.body as { messages: unknown[] });
  expect(bodies).toHaveLength(2);
  expect(bodies[1]?.messages).toHaveLength(3);
  expect(bodies.every((body) => !('thread' in body))).toBe(true);
  // Turn 2 continues the thread: 404 thread_not_found, and the SDK sends the whole history under a new thread.
  expect(turns).toEqual([
    { thread: { type: 'create' }, status: 200 },
    { thread: { type: 'continue', previous_message_id: expect.stringMatching(/^msg_/) }, status: 404 },
    { thread: { type: 'create' }, status: 200 },
  ]);
});

it('answers with request-id equal to X-Request-Id (the SDK’s _request_id)', async () => {
  fixture.fake.enqueue(reply.text('ok'));
  const { data, response, request_id } = await sdk()
    .messages.create({ model: 'target', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  expect(data.content).toEqual([{ type: 'text', text: 'ok' }]);
  expect(request_id).toBe(response.headers.get('x-request-id'));
  expect(request_id).toBeTruthy();
});
