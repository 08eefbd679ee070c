import { reply, textChunks, usage } from '../fakes/fake-openai.js';
import { startCacheGateway, type CacheGateway } from '../helpers/cache-gateway.js';
import { responsesReply } from '../fakes/fake-openai-responses.js';

// The response cache with the real clients, on every cached format: a miss, then hits with exactly one upstream call,
// replayed as JSON or as a stream whatever the miss was, and the replayed streams parse with the openai and Anthropic
// SDKs (chunks, usage, [DONE]; message_start … message_stop; response.completed).
let gw: CacheGateway;
let key: string;
beforeAll(async () => {
  gw = await startCacheGateway('cache-formats');
  key = await gw.keyFor('formats');
});
afterAll(() => gw.stop());
beforeEach(() => {
  gw.up.requests.length = 0;
});

const TEXT = 'The capital of France is Paris. '.repeat(20).trim();
const ask = (content: string) => [{ role: 'user' as const, content }];

describe('chat completions', () => {
  it('a JSON miss, then a JSON hit and a stream hit: one upstream call', async () => {
    const client = gw.openai(key);
    gw.up.enqueue(reply.text(TEXT, { usage: usage({ prompt: 40, completion: 120 }) }));
    const body = { model: 'cached', temperature: 0, messages: ask('capital of France? (chat json)') };
    const miss = await client.chat.completions.create(body).withResponse();
    expect(miss.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(miss.data.choices[0]?.message.content).toBe(TEXT);

    const hit = await client.chat.completions
      .create({ ...body, user: 'someone-else', metadata: { a: 'b' } })
      .withResponse();
    expect(hit.response.headers.get('x-gateway-cache')).toMatch(/^hit; age=\d+$/);
    expect(hit.response.headers.get('x-gateway-attempts')).toBe('0');
    expect(hit.data.choices[0]?.message.content).toBe(TEXT);
    expect(hit.data.choices[0]?.finish_reason).toBe('stop');
    expect(hit.data.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 120 });
    expect(hit.data.id).not.toBe(miss.data.id);

    const stream = await client.chat.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null | undefined;
    let counted: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason;
      if (chunk.usage) counted = chunk.usage;
    }
    expect(text).toBe(TEXT);
    expect(finish).toBe('stop');
    expect(counted).toMatchObject({ prompt_tokens: 40, completion_tokens: 120 });
    expect(gw.up.requests).toHaveLength(1);
  });

  it('a JSON miss with tool calls, then a stream hit with the same calls: one upstream call', async () => {
    const client = gw.openai(key);
    gw.up.enqueue(reply.toolCalls());
    const body = {
      model: 'cached',
      temperature: 0,
      messages: ask('weather in Paris and Rome?'),
      tools: [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }],
    };
    const miss = await client.chat.completions.create(body).withResponse();
    expect(miss.data.choices[0]?.message.tool_calls).toHaveLength(2);
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const names: string[] = [];
    for await (const chunk of stream) {
      for (const call of chunk.choices[0]?.delta.tool_calls ?? [])
        if (call.function?.name) names.push(call.function.name);
    }
    expect(names).toEqual(
      miss.data.choices[0]?.message.tool_calls?.map((c) => (c.type === 'function' ? c.function.name : '')),
    );
    expect(gw.up.requests).toHaveLength(1);
  });

  it('a streamed miss is stored once complete and replays as JSON', async () => {
    const client = gw.openai(key);
    gw.up.enqueue(reply.stream(textChunks(TEXT, { parts: 6 }), { usage: usage({ prompt: 30, completion: 90 }) }));
    const body = { model: 'cached', temperature: 0, messages: ask('capital of France? (chat stream)') };
    const first = await client.chat.completions.create({
      ...body,
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    for await (const chunk of first) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(TEXT);
    const hit = await client.chat.completions.create(body).withResponse();
    expect(hit.response.headers.get('x-gateway-cache')).toMatch(/^hit; /);
    expect(hit.data.choices[0]?.message.content).toBe(TEXT);
    expect(hit.data.usage).toMatchObject({ prompt_tokens: 30, completion_tokens: 90 });
    expect(gw.up.requests).toHaveLength(1);
  });
});

describe('/v1/messages (Anthropic SDK)', () => {
  it('a JSON miss, then a stream hit that the SDK assembles, and a JSON hit: one upstream call', async () => {
    const claude = gw.anthropic(key);
    gw.up.enqueue(reply.text(TEXT, { usage: usage({ prompt: 50, completion: 100 }) }));
    const body = { model: 'cached', max_tokens: 500, temperature: 0, messages: ask('capital of France? (messages)') };
    const miss = await claude.messages.create(body).withResponse();
    expect(miss.response.headers.get('x-gateway-cache')).toBe('miss');
    const stream = claude.messages.stream(body);
    const final = await stream.finalMessage();
    expect(final.content).toEqual([expect.objectContaining({ type: 'text', text: TEXT })]);
    expect(final.stop_reason).toBe('end_turn');
    expect(final.usage).toMatchObject({ input_tokens: 50, output_tokens: 100 });
    const again = await claude.messages.create(body).withResponse();
    expect(again.response.headers.get('x-gateway-cache')).toMatch(/^hit; /);
    expect(again.data.content).toEqual(miss.data.content);
    expect(gw.up.requests).toHaveLength(1);
  });

  it('an answer is replayed only on its own format: the same chat on /v1/chat/completions is a miss', async () => {
    const body = { model: 'cached', max_tokens: 500, temperature: 0, messages: ask('one format only') };
    await gw.anthropic(key).messages.create(body);
    const other = await gw.openai(key).chat.completions.create(body).withResponse();
    expect(other.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(gw.up.requests).toHaveLength(2);
  });
});

describe('the Responses API', () => {
  it('a JSON miss, then a stream hit ending in response.completed: one upstream call', async () => {
    const client = gw.openai(key);
    // An OpenAI target answers /v1/responses through OpenAI's Responses API (the native lane).
    const responsesUsage = {
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 },
      output_tokens: 60,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 80,
    };
    gw.up.enqueue(responsesReply.text(TEXT, { usage: responsesUsage }));
    const body = { model: 'cached', temperature: 0, input: 'capital of France? (responses)', store: false };
    const miss = await client.responses.create(body).withResponse();
    expect(miss.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(miss.data.output_text).toBe(TEXT);
    const stream = await client.responses.create({ ...body, stream: true });
    const types: string[] = [];
    let completed: { output_text?: string; usage?: unknown } | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.completed') completed = event.response;
    }
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(completed?.usage).toMatchObject({ input_tokens: 20, output_tokens: 60 });
    expect(gw.up.requests).toHaveLength(1);
  });
});

describe('embeddings', () => {
  it('a miss, then a hit with the same vectors and usage: one upstream call', async () => {
    const client = gw.openai(key);
    const first = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta'] }).withResponse();
    expect(first.response.headers.get('x-gateway-cache')).toBe('miss');
    const second = await client.embeddings.create({ model: 'embed', input: ['alpha', 'beta'] }).withResponse();
    expect(second.response.headers.get('x-gateway-cache')).toMatch(/^hit; age=\d+$/);
    expect(second.data.data.map((d) => d.embedding)).toEqual(first.data.data.map((d) => d.embedding));
    expect(second.data.usage).toEqual(first.data.usage);
    expect(gw.up.requests).toHaveLength(1);
  });
});
