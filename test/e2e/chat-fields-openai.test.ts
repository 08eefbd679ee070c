import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { reply, startFakeOpenAI, textChunks } from '../fakes/fake-openai.js';
import { record } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Today's chat completions fields through the openai SDK to an OpenAI-backed alias: accepted and passed upstream as
// sent (README "Fields"), nothing named as ignored.

const fixture = chatFixture('openai', () => startFakeOpenAI({ apiKey: 'sk-fields-openai' }));

const TODAYS_FIELDS: Partial<ChatCompletionCreateParamsNonStreaming> = {
  reasoning_effort: 'low',
  store: false,
  service_tier: 'flex',
  prompt_cache_key: 'app-cache-1',
  safety_identifier: 'user-hash-1',
  verbosity: 'low',
  logprobs: true,
  top_logprobs: 2,
  logit_bias: { '50256': -100 },
  modalities: ['text'],
  prediction: { type: 'content', content: 'Hello' },
};

const PDF = {
  type: 'file',
  file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQK', filename: 'a.pdf' },
} as const;

it('passes every field and file parts to an OpenAI target as sent', async () => {
  fixture.fake.enqueue(reply.text('Hi'));
  const request: ChatCompletionCreateParamsNonStreaming = {
    model: 'target',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'Read this' }, PDF] }],
    ...TODAYS_FIELDS,
  };
  const { response } = await fixture.client.chat.completions.create(request).withResponse();
  expect(response.headers.get('x-gateway-ignored')).toBeNull();
  const upstream = record(fixture.fake.requests[0]?.body);
  expect(upstream).toMatchObject({ ...TODAYS_FIELDS, model: 'openai-upstream-model' });
  expect(upstream.messages).toEqual(request.messages);
});

it('passes stream_options.include_obfuscation upstream and names it: the gateway writes its own stream', async () => {
  fixture.fake.enqueue(reply.stream(textChunks('Hi there', { parts: 2 })));
  const { data, response } = await fixture.client.chat.completions
    .create({
      model: 'target',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true, include_obfuscation: true },
    })
    .withResponse();
  let text = '';
  for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
  expect(text).toBe('Hi there');
  expect(response.headers.get('x-gateway-ignored')).toBe('stream_options.include_obfuscation');
  expect(record(fixture.fake.requests[0]?.body).stream_options).toEqual({
    include_usage: true,
    include_obfuscation: true,
  });
});

it('Anthropic extensions (LiteLLM names) are dropped and named; a tool result image moves to a user message', async () => {
  fixture.fake.enqueue(reply.text('Seen.'));
  const ephemeral = { type: 'ephemeral' };
  const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } };
  const call = { id: 'call_1', type: 'function', function: { name: 'screenshot', arguments: '{}' } };
  // Fields the openai SDK's types do not describe; it sends them as given.
  const body = {
    model: 'target',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Rules', cache_control: ephemeral }] },
      { role: 'user', content: 'Take a screenshot' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [call],
        thinking_blocks: [{ type: 'thinking', thinking: 'x', signature: 's' }],
      },
      {
        role: 'tool',
        tool_call_id: 'call_1',
        content: [{ type: 'text', text: 'done' }, image],
        cache_control: ephemeral,
      },
    ],
    tools: [{ type: 'function', function: { name: 'screenshot' }, defer_loading: true }],
    top_k: 5,
    thinking: { type: 'enabled', budget_tokens: 8_000 },
  };
  const { response } = await fixture.client.chat.completions
    .create(body as unknown as ChatCompletionCreateParamsNonStreaming)
    .withResponse();
  expect(response.headers.get('x-gateway-ignored')?.split(',').sort()).toEqual(
    ['cache_control', 'defer_loading', 'thinking_blocks', 'top_k'].sort(),
  );
  const upstream = record(fixture.fake.requests[0]?.body);
  expect(upstream).toMatchObject({
    reasoning_effort: 'medium',
    tools: [{ type: 'function', function: { name: 'screenshot' } }],
  });
  for (const field of ['top_k', 'thinking', 'cache_control', 'thinking_blocks', 'defer_loading']) {
    expect(JSON.stringify(upstream)).not.toContain(`"${field}"`);
  }
  expect(upstream.messages).toEqual([
    { role: 'system', content: [{ type: 'text', text: 'Rules' }] },
    { role: 'user', content: 'Take a screenshot' },
    { role: 'assistant', content: null, tool_calls: [call] },
    {
      role: 'tool',
      tool_call_id: 'call_1',
      content: [
        { type: 'text', text: 'done' },
        { type: 'text', text: '(attached below)' },
      ],
    },
    { role: 'user', content: [{ type: 'text', text: 'Attachments of tool result call_1:' }, image] },
  ]);
});
