import OpenAI from 'openai';
import type { ResponseCreateParamsNonStreaming, ResponseStreamEvent } from 'openai/resources/responses/responses';
import { DEFAULT_FAKE_OPENAI_KEY, startFakeOpenAI, type FakeOpenAI } from '../fakes/fake-openai.js';
import * as input from './inputs.js';
import { encryptedFor } from './responses-rules.js';
import { REASONING_SUMMARY, REASONING_TOKENS } from './smart-responses.js';
import { CACHED_TOKENS, PLAIN_REPLY, smartOpenAI, STRUCTURED_VALUE, UPSTREAM_USAGE } from './smart-upstreams.js';

// The smart OpenAI model's Responses API on its own (the openai SDK straight at the fake, no gateway): what the
// compat matrix's native lane (`openai-native`) answers and what it refuses as OpenAI does.

let fake: FakeOpenAI;
let openai: OpenAI;
beforeAll(async () => {
  fake = await startFakeOpenAI({ defaultReply: smartOpenAI() });
  openai = new OpenAI({ baseURL: fake.url, apiKey: DEFAULT_FAKE_OPENAI_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await fake.close();
});

const MODEL = 'compat-upstream';
const weatherTool = {
  type: 'function',
  ...input.WEATHER_TOOL,
  parameters: input.weatherParameters,
  strict: true,
} as const;
const call = { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' } as const;
const output = { type: 'function_call_output', call_id: 'call_1', output: 'Paris: 21°C, sunny' } as const;

async function events(params: Omit<ResponseCreateParamsNonStreaming, 'stream'>): Promise<ResponseStreamEvent[]> {
  const seen: ResponseStreamEvent[] = [];
  for await (const event of await openai.responses.create({ ...params, stream: true })) seen.push(event);
  return seen;
}

describe('smart OpenAI model: the Responses API', () => {
  it('answers a prompt with a Response object and its usage', async () => {
    const answer = await openai.responses.create({ model: MODEL, input: input.PLAIN_PROMPT });
    expect(answer).toMatchObject({ object: 'response', status: 'completed', model: MODEL });
    expect(answer.output_text).toBe(PLAIN_REPLY);
    expect(answer.usage).toMatchObject({
      input_tokens: UPSTREAM_USAGE.input,
      output_tokens: UPSTREAM_USAGE.output,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens_details: { reasoning_tokens: 0 },
    });
  });

  it('streams the documented event sequence, numbered', async () => {
    const seen = await events({ model: MODEL, input: input.STREAM_PROMPT });
    const types = [...new Set(seen.map((event) => event.type))];
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(seen.map((event) => event.sequence_number)).toEqual(seen.map((_, i) => i));
    const text = seen.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
    expect(text.length).toBeGreaterThan(1);
    expect(text.join('')).toBe(PLAIN_REPLY);
  });

  it('calls the offered tools (parallel on request, streamed as argument deltas), then answers from the outputs', async () => {
    const tools = [weatherTool];
    const calls = await openai.responses.create({ model: MODEL, input: input.PARALLEL_PROMPT, tools });
    expect(calls.output.map((item) => (item.type === 'function_call' ? JSON.parse(item.arguments) : item))).toEqual([
      { city: 'Paris' },
      { city: 'Tokyo' },
    ]);
    const streamed = await events({ model: MODEL, input: input.TOOL_PROMPT, tools });
    expect(streamed.map((event) => event.type)).toContain('response.function_call_arguments.delta');
    expect(streamed.map((event) => event.type)).toContain('response.function_call_arguments.done');
    const answer = await openai.responses.create({
      model: MODEL,
      input: [{ role: 'user', content: input.TOOL_PROMPT }, call, output],
      tools,
      store: false,
    });
    expect(answer.output_text).toBe('From the tools: Paris: 21°C, sunny');
  });

  it('answers text.format json_schema with JSON for the schema, and counts a repeated prompt_cache_key as cached', async () => {
    const format = { type: 'json_schema', name: 'weather_report', schema: input.weatherReportJsonSchema } as const;
    const answer = await openai.responses.create({ model: MODEL, input: 'JSON', text: { format } });
    expect(JSON.parse(answer.output_text)).toEqual(STRUCTURED_VALUE);
    const ask = () => openai.responses.create({ model: MODEL, input: 'cache me', prompt_cache_key: 'k' });
    expect((await ask()).usage?.input_tokens_details.cached_tokens).toBe(0);
    expect((await ask()).usage?.input_tokens_details.cached_tokens).toBe(CACHED_TOKENS);
  });

  it('reasons when `reasoning` is set: encrypted content when `include` asks, verified when it comes back', async () => {
    const plain = await openai.responses.create({ model: MODEL, input: 'Hi', reasoning: { effort: 'low' } });
    expect(plain.output[0]).toMatchObject({ type: 'reasoning', summary: [] });
    expect(plain.output[0]).not.toHaveProperty('encrypted_content');
    const answer = await openai.responses.create({
      model: MODEL,
      input: 'Hi',
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    const [reasoning] = answer.output;
    if (reasoning?.type !== 'reasoning') throw new Error('no reasoning item');
    expect(reasoning.summary).toEqual([{ type: 'summary_text', text: REASONING_SUMMARY }]);
    expect(reasoning.encrypted_content).toBe(encryptedFor(reasoning.id));
    expect(answer.usage?.output_tokens_details.reasoning_tokens).toBe(REASONING_TOKENS);
    const next = (item: object) =>
      openai.responses.create({
        model: MODEL,
        input: [item as never, { role: 'user', content: 'Go on' }],
        store: false,
      });
    await expect(next(reasoning)).resolves.toMatchObject({ status: 'completed' });
    await expect(next({ ...reasoning, id: undefined })).resolves.toMatchObject({ status: 'completed' });
    await expect(next({ ...reasoning, id: 'rs_other' })).rejects.toMatchObject({
      status: 400,
      error: { message: 'Encrypted content item_id did not match the target item id.' },
    });
    await expect(next({ ...reasoning, encrypted_content: undefined })).rejects.toMatchObject({
      status: 404,
      error: { message: expect.stringContaining(`Item with id '${reasoning.id}' not found.`) },
    });
  });

  const refused: [string, Record<string, unknown>, number, Record<string, unknown>][] = [
    ['an unknown parameter', { messages: [] }, 400, { param: 'messages', code: 'unknown_parameter' }],
    [
      'an unknown item type',
      { input: [{ type: 'tool_result', call_id: 'call_1' }] },
      400,
      { param: 'input[0].type', code: 'invalid_value' },
    ],
    [
      'a function_call_output without its call',
      { input: [{ role: 'user', content: 'Hi' }, output] },
      400,
      { message: 'No tool call found for function call output with call_id call_1.', param: 'input' },
    ],
    [
      'a function_call without its output',
      { input: [{ role: 'user', content: 'Hi' }, call] },
      400,
      { message: 'No tool output found for function call call_1.', param: 'input' },
    ],
    [
      'a function_call_output without call_id',
      { input: [call, { type: 'function_call_output', output: 'x' }] },
      400,
      { message: "Missing required parameter: 'input[1].call_id'.", code: 'missing_required_parameter' },
    ],
    [
      'input_text in an assistant message',
      { input: [{ role: 'assistant', content: [{ type: 'input_text', text: 'Hi' }] }] },
      400,
      { param: 'input[0].content[0].type', code: 'invalid_value' },
    ],
    [
      'an item id that store: false never kept',
      { store: false, input: [{ type: 'message', id: 'msg_1', role: 'assistant', content: 'Hi' }] },
      404,
      { param: 'input' },
    ],
    [
      'a strict function (the default) with an open schema',
      { input: 'Hi', tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} } }] },
      400,
      { param: 'tools[0].parameters', code: 'invalid_function_parameters' },
    ],
    [
      'a forced tool that is not offered',
      { input: 'Hi', tools: [weatherTool], tool_choice: { type: 'function', name: 'other' } },
      400,
      { param: 'tool_choice' },
    ],
    [
      'an unknown include',
      { input: 'Hi', include: ['reasoning.summary'] },
      400,
      { param: 'include[0]', code: 'invalid_value' },
    ],
  ];
  it.each(refused)('refuses %s as OpenAI does', async (_name, body, status, error) => {
    const request = openai.responses.create({ model: MODEL, ...body } as never);
    await expect(request).rejects.toMatchObject({ status, error: { type: 'invalid_request_error', ...error } });
  });
});
