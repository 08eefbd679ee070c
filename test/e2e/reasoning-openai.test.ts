import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatOpenAI } from '@langchain/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { reply, startFakeOpenAI, toolCallsCompletion } from '../fakes/fake-openai.js';
import { reasoningChunks, reasoningCompletion, withReasoning } from '../fakes/fake-openai-reasoning.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// An OpenAI-compatible upstream that reasons (DeepSeek, vLLM, Groq: `reasoning_content`; OpenRouter, Ollama:
// `reasoning`) through the gateway to real clients with their defaults: the openai SDK, @ai-sdk/openai-compatible and
// LangChain ChatOpenAI on chat completions, @anthropic-ai/sdk on /v1/messages (an unsigned thinking block).

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-upstream-compat' }));

const openai = () => new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
const messages = [{ role: 'user' as const, content: '2+2?' }];
const REASONING = 'Two plus two: add them, four.';

it('openai SDK: message.reasoning_content (from `reasoning_content` or `reasoning`), delta.reasoning_content', async () => {
  fixture.fake.enqueue(
    reply.json(reasoningCompletion(REASONING, '4')),
    reply.json(reasoningCompletion(REASONING, '4', { field: 'reasoning' })),
  );
  for (const _field of ['reasoning_content', 'reasoning']) {
    const completion = await openai().chat.completions.create({ model: 'target', messages });
    const answer = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect({ reasoning: answer['reasoning_content'], content: answer['content'] }).toEqual({
      reasoning: REASONING,
      content: '4',
    });
    // Unsigned reasoning: nothing to send back beyond the text, so no thinking_blocks.
    expect(answer).not.toHaveProperty('thinking_blocks');
  }

  fixture.fake.enqueue(reply.stream(reasoningChunks(REASONING, 'It is 4.')));
  const stream = await openai().chat.completions.create({ model: 'target', messages, stream: true });
  let reasoning = '';
  let text = '';
  for await (const chunk of stream) {
    const delta = chunk.choices[0]?.delta as (Record<string, unknown> & { content?: string | null }) | undefined;
    if (typeof delta?.['reasoning_content'] === 'string') reasoning += delta['reasoning_content'];
    text += delta?.content ?? '';
  }
  expect({ reasoning, text }).toEqual({ reasoning: REASONING, text: 'It is 4.' });
});

it('@ai-sdk/openai-compatible generateText and streamText give reasoningText', async () => {
  const model = createOpenAICompatible({
    name: 'gateway',
    baseURL: `${fixture.gateway.url}/v1`,
    apiKey: fixture.gateway.devKey.key,
  })('target');
  fixture.fake.enqueue(reply.json(reasoningCompletion(REASONING, '4')));
  const result = await generateText({ model, prompt: '2+2?' });
  expect({ reasoning: result.reasoningText, text: result.text }).toEqual({ reasoning: REASONING, text: '4' });

  fixture.fake.enqueue(reply.stream(reasoningChunks(REASONING, 'It is 4.', { field: 'reasoning' })));
  const streamed = streamText({ model, prompt: '2+2?' });
  expect({ reasoning: await streamed.reasoningText, text: await streamed.text }).toEqual({
    reasoning: REASONING,
    text: 'It is 4.',
  });
});

it('LangChain ChatOpenAI invoke: additional_kwargs.reasoning_content', async () => {
  fixture.fake.enqueue(reply.json(reasoningCompletion(REASONING, '4')));
  const model = new ChatOpenAI({
    model: 'target',
    apiKey: fixture.gateway.devKey.key,
    configuration: { baseURL: `${fixture.gateway.url}/v1` },
  });
  const answer = await model.invoke('2+2?');
  expect(answer.additional_kwargs['reasoning_content']).toBe(REASONING);
  expect(answer.content).toBe('4');
});

it('@anthropic-ai/sdk on /v1/messages: an unsigned thinking block before the text, JSON and stream', async () => {
  const sdk = new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
  const ask = { model: 'target', max_tokens: 256, messages };
  fixture.fake.enqueue(reply.json(reasoningCompletion(REASONING, '4')));
  const answer = await sdk.messages.create(ask);
  expect(answer.content).toEqual([
    { type: 'thinking', thinking: REASONING, signature: '' },
    { type: 'text', text: '4' },
  ]);

  fixture.fake.enqueue(reply.stream(reasoningChunks(REASONING, 'It is 4.')));
  const final = await sdk.messages.stream(ask).finalMessage();
  expect(final.content).toEqual([
    { type: 'thinking', thinking: REASONING, signature: '' },
    { type: 'text', text: 'It is 4.' },
  ]);
});

it('@ai-sdk/openai-compatible tool loop: turn 2 sends reasoning_content back, accepted and passed upstream', async () => {
  const call = { id: 'call_paris', name: 'get_weather', arguments: '{"city":"Paris"}' };
  fixture.fake.enqueue(
    reply.json(withReasoning(toolCallsCompletion([call]), 'Look Paris up.')),
    reply.json(reasoningCompletion('Got it.', 'Paris: 21°C')),
  );
  const model = createOpenAICompatible({
    name: 'gateway',
    baseURL: `${fixture.gateway.url}/v1`,
    apiKey: fixture.gateway.devKey.key,
  })('target');
  const result = await generateText({
    model,
    prompt: 'Weather in Paris?',
    tools: {
      get_weather: tool({
        description: 'Weather of a city',
        inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
        execute: async () => '21°C',
      }),
    },
    stopWhen: stepCountIs(3),
  });
  expect(result.text).toBe('Paris: 21°C');
  const second = fixture.fake.requests[1]?.body as { messages: Record<string, unknown>[] };
  // DeepSeek-style servers want their reasoning back in a tool loop: it goes upstream as the client sent it.
  expect(second.messages.find((entry) => entry['role'] === 'assistant')?.['reasoning_content']).toBe('Look Paris up.');
});
