import { createAnthropic } from '@ai-sdk/anthropic';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { reply, startFakeOpenAI, toolCallChunks } from '../fakes/fake-openai.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// @ai-sdk/anthropic with its defaults (apiKey sent as x-api-key) → gateway /v1/messages → fake OpenAI.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-upstream-openai-key' }));

const aiSdk = () => createAnthropic({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });

it('@ai-sdk/anthropic generateText on an OpenAI-backed alias parses the answer (no `citations: null`)', async () => {
  fixture.fake.enqueue(reply.text('Bonjour'));
  const result = await generateText({ model: aiSdk()('target'), prompt: 'Say hi in French' });
  expect(result.text).toBe('Bonjour');
});

it('@ai-sdk/anthropic streamText with a tool (eager_input_streaming) on an OpenAI-backed alias: the hint is dropped', async () => {
  fixture.fake.enqueue(
    reply.stream(toolCallChunks([{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }])),
  );
  const result = streamText({
    model: aiSdk()('target'),
    prompt: 'Weather in Paris?',
    tools: {
      get_weather: tool({
        description: 'Weather of a city',
        inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
      }),
    },
  });
  const calls = await result.toolCalls;
  expect(calls.map((call) => [call.toolName, call.input])).toEqual([['get_weather', { city: 'Paris' }]]);
  const sent = fixture.fake.requests[0]?.body as { tools?: { function: Record<string, unknown> }[] };
  expect(sent.tools?.[0]?.function).toEqual({
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  });
});
