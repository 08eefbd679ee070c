import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, ContentBlockParam, MessageParam } from '@anthropic-ai/sdk/resources/messages';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { message, reply, startFakeAnthropic, textBlock, toolUseBlock } from '../fakes/fake-anthropic.js';
import {
  interleavedThinkingEvents,
  REDACTED_DATA,
  redactedThinkingBlock,
  SIGNATURE,
  thinkingBlock,
} from '../fakes/fake-anthropic-thinking.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// A tool loop with thinking enabled, through the gateway to an Anthropic backend: the answer's thinking blocks, sent
// back as the client got them, reach the upstream first in the assistant turn with their signatures intact (what
// Anthropic requires to continue the loop) — @anthropic-ai/sdk (JSON and stream) and the openai SDK
// (`thinking_blocks`).

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

const sdk = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const openai = () => new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
const paris = { id: 'toolu_01Paris', name: 'get_weather', input: { city: 'Paris' } };
const tools = [
  {
    name: 'get_weather',
    description: 'Weather of a city',
    input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
  },
];
const question: MessageParam = { role: 'user', content: 'Weather in Paris?' };

/** The assistant turn the upstream received in the second request. */
function upstreamAssistantTurn(): unknown[] {
  const body = fixture.fake.requests[1]?.body as { messages: { role: string; content: unknown[] }[] };
  return body.messages.find((entry) => entry.role === 'assistant')?.content ?? [];
}

const toolResultTurn: MessageParam = {
  role: 'user',
  content: [{ type: 'tool_result', tool_use_id: paris.id, content: '21°C' }],
};

it('@anthropic-ai/sdk messages.create: thinking + redacted + tool_use, sent back, reach the upstream intact', async () => {
  fixture.fake.enqueue(
    reply.message(
      message([thinkingBlock('Paris needs a lookup.'), redactedThinkingBlock(), toolUseBlock(paris)], {
        stopReason: 'tool_use',
      }),
    ),
    reply.text('Paris: 21°C'),
  );
  const ask = { model: 'target', max_tokens: 2048, tools, thinking: { type: 'enabled' as const, budget_tokens: 1024 } };
  const first = await sdk().messages.create({ ...ask, messages: [question] });
  const final = await sdk().messages.create({
    ...ask,
    messages: [question, { role: 'assistant', content: first.content as ContentBlockParam[] }, toolResultTurn],
  });
  expect(final.content).toEqual([{ type: 'text', text: 'Paris: 21°C' }]);
  expect(upstreamAssistantTurn().slice(0, 2)).toEqual([
    { type: 'thinking', thinking: 'Paris needs a lookup.', signature: SIGNATURE },
    { type: 'redacted_thinking', data: REDACTED_DATA },
  ]);
});

it('@anthropic-ai/sdk messages.stream → finalMessage, sent back: the streamed blocks reach the upstream intact', async () => {
  fixture.fake.enqueue(
    reply.stream(interleavedThinkingEvents([{ thinking: ['Paris ', 'needs a lookup.'] }, { tool: paris }])),
    reply.text('Paris: 21°C'),
  );
  const ask = { model: 'target', max_tokens: 2048, tools, thinking: { type: 'adaptive' as const } };
  const first = await sdk()
    .messages.stream({ ...ask, messages: [question] })
    .finalMessage();
  await sdk().messages.create({
    ...ask,
    messages: [question, { role: 'assistant', content: first.content as ContentBlock[] }, toolResultTurn],
  });
  expect(upstreamAssistantTurn()[0]).toEqual({
    type: 'thinking',
    thinking: 'Paris needs a lookup.',
    signature: SIGNATURE,
  });
});

it('openai SDK: message.thinking_blocks sent back on the assistant message reach the upstream first, intact', async () => {
  fixture.fake.enqueue(
    reply.message(
      message([thinkingBlock('Paris needs a lookup.'), textBlock('Checking.'), toolUseBlock(paris)], {
        stopReason: 'tool_use',
      }),
    ),
    reply.text('Paris: 21°C'),
  );
  const functions = [
    { type: 'function' as const, function: { name: 'get_weather', parameters: tools[0]?.input_schema ?? {} } },
  ];
  const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
  const first = await openai().chat.completions.create({ model: 'target', messages, tools: functions });
  const answer = first.choices[0]?.message;
  if (answer === undefined) throw new Error('no answer');
  const call = answer.tool_calls?.[0];
  if (call === undefined) throw new Error('no tool call');
  await openai().chat.completions.create({
    model: 'target',
    tools: functions,
    messages: [
      ...messages,
      answer as ChatCompletionMessageParam,
      { role: 'tool', tool_call_id: call.id, content: '21°C' },
    ],
  });
  expect(upstreamAssistantTurn()[0]).toEqual({
    type: 'thinking',
    thinking: 'Paris needs a lookup.',
    signature: SIGNATURE,
  });
});
