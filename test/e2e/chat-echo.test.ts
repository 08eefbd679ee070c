import OpenAI from 'openai';
import type { LocalGateway } from '../../local/gateway.js';
import { expectOpenAIError } from '../helpers/error-shape.js';
import { startKeyTestGateway } from '../helpers/key-config.js';
import { tempDir } from '../helpers/tmp.js';

// The chat endpoint with the official openai SDK as the client, on the echo provider (no upstream at all), and the
// input checks every target shares.
const dir = tempDir('gw-chat-echo');
let gateway: LocalGateway;
let client: OpenAI;
let demoOnlyKey: string;

beforeAll(async () => {
  gateway = await startKeyTestGateway(dir.path, 'admin-chat-echo');
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gateway.devKey.key, maxRetries: 0 });
  const created = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { Authorization: 'Bearer admin-chat-echo', 'Content-Type': 'application/json' },
    body: JSON.stringify({ tenant: 'limited', models: ['other'] }),
  });
  demoOnlyKey = ((await created.json()) as { key: string }).key;
});
afterAll(async () => {
  await gateway.stop();
  dir.remove();
});

describe('chat on the echo provider through the openai SDK', () => {
  it('non-stream: a chat.completion under the alias, with usage and the serving target in headers', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'demo',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hello there' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe('demo');
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Echo: hello there' });
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-gateway-provider')).toBe('echo');
    expect(response.headers.get('x-gateway-model')).toBe('echo-1');
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('stream: deltas that add up to the answer, a finish_reason, and [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    });
    let text = '';
    const finishes: (string | null | undefined)[] = [];
    let usageSeen = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
      if (chunk.usage) usageSeen = true;
    }
    expect(text).toBe('Echo: one two three');
    expect(finishes).toEqual(['stop']);
    expect(usageSeen).toBe(false);
  });

  it('stream with include_usage: one last chunk with choices [] and the usage', async () => {
    const stream = await client.chat.completions.create({
      model: 'demo',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count me' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('a required tool call comes back as tool_calls, streamed with index 0', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup', parameters: { type: 'object', properties: { input: { type: 'string' } } } },
      },
    ];
    const done = await client.chat.completions.create({
      model: 'demo',
      tools,
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'find x' }],
    });
    expect(done.choices[0]?.finish_reason).toBe('tool_calls');
    const call = done.choices[0]?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual({ input: 'find x' });
    const stream = await client.chat.completions.create({
      model: 'demo',
      stream: true,
      tools,
      tool_choice: 'required',
      messages: [{ role: 'user', content: 'find y' }],
    });
    const indices = new Set<number>();
    for await (const chunk of stream) for (const c of chunk.choices[0]?.delta.tool_calls ?? []) indices.add(c.index);
    expect([...indices]).toEqual([0]);
  });
});

describe('bad input → 4xx in the OpenAI error shape', () => {
  const post = (body: unknown, key = gateway.devKey.key) =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  const user = [{ role: 'user', content: 'hi' }];

  it.each([
    ['no messages', { model: 'demo', messages: [] }, 'messages'],
    ['messages missing', { model: 'demo' }, 'messages'],
    [
      'a message of the wrong type',
      { model: 'demo', messages: [{ role: 'user', content: 42 }] },
      'messages[0].content',
    ],
    ['an unknown role', { model: 'demo', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
    ['temperature out of range', { model: 'demo', messages: user, temperature: 3 }, 'temperature'],
    ['n > 1', { model: 'demo', messages: user, n: 2 }, 'n'],
    [
      'a tool whose parameters are not an object schema',
      {
        model: 'demo',
        messages: user,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }],
      },
      'tools[0].function.parameters',
    ],
    [
      'a tool with a bad name',
      { model: 'demo', messages: user, tools: [{ type: 'function', function: { name: 'no spaces allowed' } }] },
      'tools[0].function.name',
    ],
    [
      'tool_choice naming no tool',
      {
        model: 'demo',
        messages: user,
        tools: [{ type: 'function', function: { name: 'f' } }],
        tool_choice: { type: 'function', function: { name: 'g' } },
      },
      'tool_choice',
    ],
    ['an unknown field', { model: 'demo', messages: user, api_base: 'https://evil.example' }, null],
  ])('%s → 400', async (_label, body, param) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    const error = expectOpenAIError(await res.json(), 'invalid_request_body');
    expect(error.param).toBe(param);
  });

  it('an unknown alias → 404 model_not_found', async () => {
    const res = await post({ model: 'gpt-17', messages: user });
    expect(res.status).toBe(404);
    expect(expectOpenAIError(await res.json(), 'model_not_found').param).toBe('model');
  });

  it('an alias the key may not use → 403 model_not_allowed', async () => {
    const res = await post({ model: 'demo', messages: user }, demoOnlyKey);
    expect(res.status).toBe(403);
    expectOpenAIError(await res.json(), 'model_not_allowed');
    expect((await post({ model: 'other', messages: user }, demoOnlyKey)).status).toBe(200);
  });

  it('/v1/chat is the same handler', async () => {
    const res = await fetch(`${gateway.url}/v1/chat`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${gateway.devKey.key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'demo', messages: user }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]?.message.content).toBe(
      'Echo: hi',
    );
  });
});
