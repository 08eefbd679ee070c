import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import type { ResponseInputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { message, reply, startFakeAnthropic, textBlock, toolUseBlock } from '../fakes/fake-anthropic.js';
import {
  interleavedThinkingEvents,
  REDACTED_DATA,
  redactedThinkingBlock,
  SIGNATURE_2,
  thinkingBlock,
} from '../fakes/fake-anthropic-thinking.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Anthropic thinking through /v1/responses to the real clients on their defaults: reasoning items (summary = the
// thinking), and back: the items a client sends again (encrypted_content with include and store: false, as Codex;
// the stored ones by id or previous_response_id) reach Anthropic as the original blocks, signatures exact.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-upstream' }));

type Block = { type: string; [field: string]: unknown };
const assistantContent = (at: number): Block[] => {
  const body = fixture.fake.requests[at]?.body as { messages: { role: string; content: Block[] | string }[] };
  const assistant = body.messages.find((m) => m.role === 'assistant');
  return typeof assistant?.content === 'string' ? [] : (assistant?.content ?? []);
};
const paris = { id: 'toolu_01Paris', name: 'get_weather', input: { city: 'Paris' } };
const include = ['reasoning.encrypted_content' as const];
const THINKING = thinkingBlock('The user wants Paris.');

describe('openai SDK responses.create', () => {
  it('JSON: a reasoning item before the message; sent back (include, store: false) the fake gets the signed block', async () => {
    fixture.fake.enqueue(reply.message(message([THINKING, redactedThinkingBlock(), textBlock('Sunny.')])));
    const first = await fixture.client.responses.create({ model: 'target', input: 'Weather?', store: false, include });
    expect(first.output.map((item) => item.type)).toEqual(['reasoning', 'reasoning', 'message']);
    expect(first.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'The user wants Paris.' }],
      encrypted_content: expect.stringMatching(/^gwr1\./),
    });
    expect(first.output_text).toBe('Sunny.');

    fixture.fake.enqueue(reply.text('Still sunny.'));
    const input: ResponseInputItem[] = [
      { role: 'user', content: 'Weather?' },
      ...(first.output as ResponseInputItem[]),
      { role: 'user', content: 'And now?' },
    ];
    const second = await fixture.client.responses
      .create({ model: 'target', input, store: false, include })
      .withResponse();
    expect(second.data.output_text).toBe('Still sunny.');
    expect(assistantContent(1)).toEqual([THINKING, redactedThinkingBlock(), { type: 'text', text: 'Sunny.' }]);
    expect(second.response.headers.get('x-gateway-ignored')).toBeNull();
  });

  it('stream: reasoning summary events, then the tool call; the items and the call output sent back keep the block', async () => {
    fixture.fake.enqueue(
      reply.stream(interleavedThinkingEvents([{ thinking: ['The user ', 'wants Paris.'] }, { tool: paris }])),
    );
    const stream = await fixture.client.responses.create({
      model: 'target',
      input: 'Weather?',
      stream: true,
      store: false,
      include,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const summary = events.flatMap((e) => (e.type === 'response.reasoning_summary_text.delta' ? [e.delta] : []));
    expect(summary.join('')).toBe('The user wants Paris.');
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error(`ended with ${String(completed?.type)}`);
    expect(completed.response.output.map((item) => item.type)).toEqual(['reasoning', 'function_call']);

    fixture.fake.enqueue(reply.text('21°C in Paris.'));
    await fixture.client.responses.create({
      model: 'target',
      store: false,
      include,
      input: [
        { role: 'user', content: 'Weather?' },
        ...(completed.response.output as ResponseInputItem[]),
        { type: 'function_call_output', call_id: paris.id, output: '21°C' },
      ],
    });
    expect(assistantContent(1)).toEqual([THINKING, { type: 'tool_use', ...paris }]);
  });

  it('stored: items sent back by id (no encrypted_content) and previous_response_id carry the block; input_items lists them', async () => {
    fixture.fake.enqueue(reply.message(message([THINKING, textBlock('Sunny.')])));
    const first = await fixture.client.responses.create({ model: 'target', input: 'Weather?' });
    expect(first.output[0]).not.toHaveProperty('encrypted_content');

    fixture.fake.enqueue(reply.text('Still sunny.'));
    const second = await fixture.client.responses.create({
      model: 'target',
      input: [
        { role: 'user', content: 'Weather?' },
        ...(first.output as ResponseInputItem[]),
        { role: 'user', content: 'Now?' },
      ],
    });
    expect(assistantContent(1)).toEqual([THINKING, { type: 'text', text: 'Sunny.' }]);
    const listed = await fixture.client.responses.inputItems.list(second.id, { order: 'asc' });
    expect(listed.data.map((item) => item.type)).toEqual(['message', 'reasoning', 'message', 'message']);

    fixture.fake.enqueue(reply.text('Yes.'));
    await fixture.client.responses.create({ model: 'target', previous_response_id: first.id, input: 'Sure?' });
    expect(assistantContent(2)).toEqual([THINKING, { type: 'text', text: 'Sunny.' }]);
    const retrieved = await fixture.client.responses.retrieve(first.id);
    expect(retrieved.output[0]).not.toHaveProperty('encrypted_content');
  });
});

it("OpenAI's own reasoning items cannot go to Anthropic: left out, named input[].reasoning", async () => {
  fixture.fake.enqueue(reply.text('Hi.'));
  const { response } = await fixture.client.responses
    .create({
      model: 'target',
      store: false,
      input: [
        { role: 'user', content: 'Hello' },
        { type: 'reasoning', id: 'rs_68af', summary: [], encrypted_content: 'gAAAAB-openai-own' },
        { role: 'assistant', content: 'Hi there.' },
        { role: 'user', content: 'Again' },
      ] as ResponseInputItem[],
    })
    .withResponse();
  expect(assistantContent(0)).toEqual([{ type: 'text', text: 'Hi there.' }]);
  expect(response.headers.get('x-gateway-ignored')).toBe('input[].reasoning');
});

describe('@ai-sdk/openai default provider (createOpenAI()(id))', () => {
  const model = () =>
    createOpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key })('target');
  const tools = {
    get_weather: tool({
      description: 'Weather of a city',
      inputSchema: jsonSchema<{ city: string }>({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
        additionalProperties: false,
      }),
      execute: async () => '21°C',
    }),
  };

  it('generateText with a tool: reasoningText from the items; the second step gives Anthropic the signed block', async () => {
    fixture.fake.enqueue(
      reply.message(message([THINKING, toolUseBlock(paris)], { stopReason: 'tool_use' })),
      reply.message(message([thinkingBlock('Answer now.', SIGNATURE_2), textBlock('21°C in Paris.')])),
    );
    const result = await generateText({ model: model(), prompt: 'Weather?', tools, stopWhen: stepCountIs(2) });
    expect(result.text).toBe('21°C in Paris.');
    expect(result.steps[0]?.reasoningText).toBe('The user wants Paris.');
    expect(result.reasoningText).toBe('Answer now.');
    expect(assistantContent(1)).toEqual([THINKING, { type: 'tool_use', ...paris }]);
  });

  it('streamText: the reasoning streams as reasoning parts', async () => {
    fixture.fake.enqueue(
      reply.stream(
        interleavedThinkingEvents([{ thinking: ['Two ', 'plus two.'] }, { redacted: REDACTED_DATA }, { text: ['4'] }]),
      ),
    );
    const result = streamText({ model: model(), prompt: 'What is 2+2?' });
    expect(await result.text).toBe('4');
    expect(await result.reasoningText).toBe('Two plus two.');
    const parts = (await result.reasoning).map((part) => part.providerMetadata?.['openai']?.['itemId']);
    expect(parts).toEqual([expect.stringMatching(/^rs_req_/), expect.stringMatching(/^rs_req_/)]);
  });
});
