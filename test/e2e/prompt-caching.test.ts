import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { reply, startFakeAnthropic, usage } from '../fakes/fake-anthropic.js';
import { record } from '../helpers/agent-loop.js';
import { chatFixture } from '../helpers/chat-gateway.js';

// Prompt caching through the gateway (issue 16): cache_control breakpoints sent with @anthropic-ai/sdk (/v1/messages)
// and with the openai SDK (chat completions, cache_control on content parts), both with their default settings,
// reach the Anthropic upstream at the same places; the second identical request, which the upstream reports as read
// from its cache, is priced at the cache-read rate in /v1/usage.

const fixture = chatFixture('anthropic', () => startFakeAnthropic({ apiKey: 'sk-ant-cache' }), {
  input: 1,
  cacheWrite: 1.25,
  cachedInput: 0.1,
  output: 5,
});

const ephemeral = { type: 'ephemeral' } as const;
const WRITE = usage({ input: 100, cacheWrite: 2_000, output: 50 }); // 100 + 2,500 + 250 = 2,850 µ$
const READ = usage({ input: 100, cacheRead: 2_000, output: 50 }); // 100 + 200 + 250 = 550 µ$

interface Totals {
  requests: number;
  cached_tokens: number;
  cache_write_tokens: number;
  cost_micros: number;
}
async function totals(): Promise<Totals> {
  const res = await fetch(`${fixture.gateway.url}/v1/usage?model=target`, {
    headers: { Authorization: `Bearer ${fixture.gateway.devKey.key}` },
  });
  expect(res.status).toBe(200);
  return record(await res.json()).totals as Totals;
}
const delta = (after: Totals, before: Totals) => ({
  requests: after.requests - before.requests,
  cached_tokens: after.cached_tokens - before.cached_tokens,
  cache_write_tokens: after.cache_write_tokens - before.cache_write_tokens,
  cost_micros: after.cost_micros - before.cost_micros,
});

it('/v1/messages: breakpoints on a system block, a tool, a tool_result and the last user block reach Anthropic; the cache read is priced as one', async () => {
  const client = new Anthropic({ baseURL: fixture.gateway.url, apiKey: fixture.gateway.devKey.key });
  const request: MessageCreateParamsNonStreaming = {
    model: 'target',
    max_tokens: 256,
    system: [
      { type: 'text', text: 'You are a coding agent.' },
      { type: 'text', text: 'Long, stable instructions.', cache_control: ephemeral },
    ],
    tools: [
      {
        name: 'Read',
        description: 'Read a file',
        input_schema: { type: 'object', properties: { path: { type: 'string' } } },
        cache_control: ephemeral,
      },
    ],
    messages: [
      { role: 'user', content: 'Read a.txt' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.txt' } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'file text', cache_control: ephemeral },
          { type: 'text', text: 'Summarise it.', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
    ],
  };
  const before = await totals();
  fixture.fake.enqueue(reply.text('A summary.', { usage: WRITE }), reply.text('A summary.', { usage: READ }));
  await client.messages.create(request);
  const second = await client.messages.create(request);
  expect(second.usage).toMatchObject({ cache_read_input_tokens: 2_000, input_tokens: 100 });

  const upstream = record(fixture.fake.requests[1]?.body);
  expect(upstream.system).toEqual(request.system);
  expect(upstream.tools).toEqual([expect.objectContaining({ name: 'Read', cache_control: ephemeral })]);
  expect(upstream.messages).toEqual([
    { role: 'user', content: [{ type: 'text', text: 'Read a.txt' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: { path: 'a.txt' } }] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_1', content: 'file text', cache_control: ephemeral },
        { type: 'text', text: 'Summarise it.', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    },
  ]);
  expect(delta(await totals(), before)).toEqual({
    requests: 2,
    cached_tokens: 2_000,
    cache_write_tokens: 2_000,
    cost_micros: 2_850 + 550,
  });
});

it('chat completions: cache_control on content parts, a tool message and a tool (openai SDK) reach Anthropic; priced alike', async () => {
  const client = new OpenAI({ baseURL: `${fixture.gateway.url}/v1`, apiKey: fixture.gateway.devKey.key });
  // LiteLLM's extension fields, which the openai SDK's types do not describe but send as given.
  const body = {
    model: 'target',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Long, stable instructions.', cache_control: ephemeral }] },
      { role: 'user', content: 'Read a.txt' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'Read', arguments: '{"path":"a.txt"}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: 'file text', cache_control: ephemeral },
      { role: 'user', content: [{ type: 'text', text: 'Summarise it.', cache_control: ephemeral }] },
    ],
    tools: [{ type: 'function', function: { name: 'Read', parameters: { type: 'object' } }, cache_control: ephemeral }],
  };
  const before = await totals();
  fixture.fake.enqueue(reply.text('A summary.', { usage: WRITE }), reply.text('A summary.', { usage: READ }));
  const request = body as unknown as ChatCompletionCreateParamsNonStreaming;
  await client.chat.completions.create(request);
  const { data, response } = await client.chat.completions.create(request).withResponse();
  expect(data.usage?.prompt_tokens_details?.cached_tokens).toBe(2_000);
  expect(response.headers.get('x-gateway-ignored')).toBeNull();

  const upstream = record(fixture.fake.requests[1]?.body);
  expect(upstream.system).toEqual([{ type: 'text', text: 'Long, stable instructions.', cache_control: ephemeral }]);
  expect(upstream.tools).toEqual([expect.objectContaining({ name: 'Read', cache_control: ephemeral })]);
  expect(upstream.messages).toEqual([
    { role: 'user', content: [{ type: 'text', text: 'Read a.txt' }] },
    { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'Read', input: { path: 'a.txt' } }] },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'call_1', content: 'file text', cache_control: ephemeral },
        { type: 'text', text: 'Summarise it.', cache_control: ephemeral },
      ],
    },
  ]);
  expect(delta(await totals(), before)).toEqual({
    requests: 2,
    cached_tokens: 2_000,
    cache_write_tokens: 2_000,
    cost_micros: 2_850 + 550,
  });
});
