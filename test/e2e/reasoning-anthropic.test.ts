import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock } from '@anthropic-ai/sdk/resources/messages';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { ChatAnthropic } from '@langchain/anthropic';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { message, reply, textBlock, toolUseBlock } from '../fakes/fake-anthropic.js';
import { startFakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  interleavedThinkingEvents,
  REDACTED_DATA,
  redactedThinkingBlock,
  SIGNATURE,
  SIGNATURE_2,
  thinkingBlock,
  thinkingOnlyEvents,
} from '../fakes/fake-anthropic-thinking.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Extended thinking from an Anthropic backend, through the gateway, to real clients with their defaults:
// @anthropic-ai/sdk, @ai-sdk/anthropic and LangChain ChatAnthropic on /v1/messages; the openai SDK and
// @ai-sdk/openai-compatible on chat completions. The blocks come back exactly: signatures, redacted data, order.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream-key' }));

const sdk = () => new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
const openai = () => new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
const ask = { model: 'target', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Weather?' }] };
const paris = { id: 'toolu_01Paris', name: 'get_weather', input: { city: 'Paris' } };
const tokyo = { id: 'toolu_02Tokyo', name: 'get_weather', input: { city: 'Tokyo' } };

/** The reasoning blocks of a Message's content, as they are. */
const reasoningOf = (content: readonly ContentBlock[]) =>
  content.filter((block) => block.type === 'thinking' || block.type === 'redacted_thinking');

describe('/v1/messages, @anthropic-ai/sdk', () => {
  it('messages.create: thinking, text, tool_use, redacted_thinking, thinking, tool_use, in order, exact', async () => {
    const upstream = [
      thinkingBlock('The user wants Paris first.'),
      textBlock('Checking.'),
      toolUseBlock(paris),
      redactedThinkingBlock(),
      thinkingBlock('Now Tokyo.', SIGNATURE_2),
      toolUseBlock(tokyo),
    ];
    fixture.fake.enqueue(reply.message(message(upstream, { stopReason: 'tool_use' })));
    const answer = await sdk().messages.create(ask);
    expect(answer.content.map((block) => block.type)).toEqual(upstream.map((block) => block.type));
    expect(reasoningOf(answer.content)).toEqual(reasoningOf(upstream));
    expect(answer.stop_reason).toBe('tool_use');
  });

  it('messages.stream → finalMessage: thinking deltas and signature_delta reassemble the exact blocks', async () => {
    fixture.fake.enqueue(
      reply.stream(
        interleavedThinkingEvents([
          { thinking: ['Paris ', 'first, ', 'then Tokyo.'] },
          { tool: paris },
          { redacted: REDACTED_DATA },
          { thinking: ['Tokyo now.'], signature: SIGNATURE_2 },
          { tool: tokyo },
        ]),
      ),
    );
    const stream = sdk().messages.stream(ask);
    const thinking: string[] = [];
    stream.on('thinking', (delta) => thinking.push(delta));
    const final = await stream.finalMessage();
    expect(reasoningOf(final.content)).toEqual([
      { type: 'thinking', thinking: 'Paris first, then Tokyo.', signature: SIGNATURE },
      { type: 'redacted_thinking', data: REDACTED_DATA },
      { type: 'thinking', thinking: 'Tokyo now.', signature: SIGNATURE_2 },
    ]);
    expect(final.content.map((block) => block.type)).toEqual([
      'thinking',
      'tool_use',
      'redacted_thinking',
      'thinking',
      'tool_use',
    ]);
    expect(thinking.join('')).toBe('Paris first, then Tokyo.Tokyo now.');
  });

  it('a stream cut after thinking only: the thinking went out, then an error the SDK raises, never a clean end', async () => {
    fixture.fake.enqueue(reply.stream(thinkingOnlyEvents(['Let me ', 'think…'])));
    const stream = sdk().messages.stream(ask);
    const thinking: string[] = [];
    stream.on('thinking', (delta) => thinking.push(delta));
    await expect(stream.finalMessage()).rejects.toThrow(/ended the stream before the answer was complete/);
    expect(thinking.join('')).toBe('Let me think…');
    // Committed once the thinking went out: one upstream call, no silent retry.
    expect(fixture.fake.requests).toHaveLength(1);
  });
});

describe('/v1/messages, frameworks', () => {
  it('@ai-sdk/anthropic generateText and streamText expose reasoningText and the signature', async () => {
    const model = createAnthropic({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key })(
      'target',
    );
    fixture.fake.enqueue(reply.message(message([thinkingBlock('Two plus two.'), textBlock('4')])));
    const result = await generateText({ model, prompt: 'What is 2+2?' });
    expect(result.reasoningText).toBe('Two plus two.');
    expect(result.reasoning[0]?.providerMetadata?.['anthropic']?.['signature']).toBe(SIGNATURE);
    expect(result.text).toBe('4');

    fixture.fake.enqueue(
      reply.stream(interleavedThinkingEvents([{ thinking: ['Two ', 'plus two.'] }, { text: ['4'] }])),
    );
    const streamed = streamText({ model, prompt: 'What is 2+2?' });
    expect(await streamed.reasoningText).toBe('Two plus two.');
    expect((await streamed.reasoning)[0]?.providerMetadata?.['anthropic']?.['signature']).toBe(SIGNATURE);
  });

  it('LangChain ChatAnthropic invoke: the thinking block with its signature in the content', async () => {
    fixture.fake.enqueue(reply.message(message([thinkingBlock('Two plus two.'), textBlock('4')])));
    const model = new ChatAnthropic({
      model: 'target',
      anthropicApiUrl: fixture.gateway.url,
      apiKey: fixture.gateway.devKey.key,
    });
    const answer = await model.invoke('What is 2+2?');
    expect(answer.content).toEqual([
      { type: 'thinking', thinking: 'Two plus two.', signature: SIGNATURE },
      expect.objectContaining({ type: 'text', text: '4' }),
    ]);
  });
});

describe('chat completions from an Anthropic backend', () => {
  it('openai SDK: message.reasoning_content and thinking_blocks (JSON), delta.reasoning_content (stream)', async () => {
    fixture.fake.enqueue(reply.message(message([thinkingBlock('Sum it.'), redactedThinkingBlock(), textBlock('4')])));
    const completion = await openai().chat.completions.create({
      model: 'target',
      messages: [{ role: 'user', content: '2+2?' }],
    });
    const answer = completion.choices[0]?.message as unknown as Record<string, unknown>;
    expect(answer['content']).toBe('4');
    expect(answer['reasoning_content']).toBe('Sum it.');
    expect(answer['thinking_blocks']).toEqual([
      { type: 'thinking', thinking: 'Sum it.', signature: SIGNATURE },
      { type: 'redacted_thinking', data: REDACTED_DATA },
    ]);

    fixture.fake.enqueue(reply.stream(interleavedThinkingEvents([{ thinking: ['Sum ', 'it.'] }, { text: ['4'] }])));
    const stream = await openai().chat.completions.create({
      model: 'target',
      messages: [{ role: 'user', content: '2+2?' }],
      stream: true,
    });
    let reasoning = '';
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as (Record<string, unknown> & { content?: string | null }) | undefined;
      if (typeof delta?.['reasoning_content'] === 'string') reasoning += delta['reasoning_content'];
      text += delta?.content ?? '';
    }
    expect({ reasoning, text }).toEqual({ reasoning: 'Sum it.', text: '4' });
  });

  it('@ai-sdk/openai-compatible generateText and streamText give reasoningText', async () => {
    const model = createOpenAICompatible({
      name: 'gateway',
      baseURL: `${fixture.gateway.url}/v1`,
      apiKey: fixture.gateway.devKey.key,
    })('target');
    fixture.fake.enqueue(reply.message(message([thinkingBlock('Sum it.'), textBlock('4')])));
    const result = await generateText({ model, prompt: '2+2?' });
    expect({ reasoning: result.reasoningText, text: result.text }).toEqual({ reasoning: 'Sum it.', text: '4' });

    fixture.fake.enqueue(reply.stream(interleavedThinkingEvents([{ thinking: ['Sum ', 'it.'] }, { text: ['4'] }])));
    const streamed = streamText({ model, prompt: '2+2?' });
    expect({ reasoning: await streamed.reasoningText, text: await streamed.text }).toEqual({
      reasoning: 'Sum it.',
      text: '4',
    });
  });

  it('reasoning_content sent back on an assistant message (as @ai-sdk/openai-compatible does) is accepted, dropped and named', async () => {
    fixture.fake.enqueue(reply.text('Sure.'));
    const { data, response } = await openai()
      .chat.completions.create({
        model: 'target',
        messages: [
          { role: 'user', content: '2+2?' },
          { role: 'assistant', content: '4', reasoning_content: 'Sum it.' } as OpenAI.ChatCompletionMessageParam,
          { role: 'user', content: 'Sure?' },
        ],
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('Sure.');
    expect(response.headers.get('x-gateway-ignored')).toContain('reasoning_content');
    expect(JSON.stringify(fixture.fake.requests[0]?.body)).not.toContain('Sum it.');
  });

  it('a stream cut after thinking only: the reasoning went out, then an error the openai SDK raises, never [DONE]', async () => {
    fixture.fake.enqueue(reply.stream(thinkingOnlyEvents(['Let me ', 'think…'])));
    const stream = await openai().chat.completions.create({
      model: 'target',
      messages: [{ role: 'user', content: '2+2?' }],
      stream: true,
    });
    let reasoning = '';
    const read = async (): Promise<void> => {
      for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta as Record<string, unknown> | undefined;
        if (typeof delta?.['reasoning_content'] === 'string') reasoning += delta['reasoning_content'];
      }
    };
    await expect(read()).rejects.toThrow(/ended the stream before the answer was complete/);
    expect(reasoning).toBe('Let me think…');
  });
});
