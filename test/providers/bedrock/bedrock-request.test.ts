import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toConverseRequest } from '../../../lambdas/providers/bedrock/bedrock-request.js';
import { ignoredByBedrock } from '../../../lambdas/providers/bedrock/field-rule.js';

// The canonical (OpenAI-shaped) request → Converse, field by field.

const CLAUDE = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
const LLAMA = 'meta.llama3-3-70b-instruct-v1:0';
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

const parse = (body: Record<string, unknown>): ChatRequest =>
  chatRequestSchema.parse({ model: 'alias', messages: [{ role: 'user', content: 'Hi' }], ...body });
const converse = (body: Record<string, unknown>, model = CLAUDE) => toConverseRequest(parse(body), model);
const failure = (run: () => unknown): GatewayError => {
  try {
    run();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
};

const weather = {
  type: 'function',
  function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
};

it('system and developer messages become system blocks, with a cache point after a marked part', () => {
  const request = converse({
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }] },
      { role: 'developer', content: 'Be terse.' },
      { role: 'user', content: 'Hi' },
    ],
  });
  expect(request.system).toEqual([{ text: 'Long rules' }, { cachePoint: { type: 'default' } }, { text: 'Be terse.' }]);
  expect(request.messages).toEqual([{ role: 'user', content: [{ text: 'Hi' }] }]);
  expect(request.modelId).toBe(CLAUDE);
});

it('user images as bytes (format from the data URL), cache point with its TTL after a part', () => {
  const request = converse({
    messages: [
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: PNG, detail: 'high' } },
          { type: 'text', text: 'What is this?', cache_control: { type: 'ephemeral', ttl: '1h' } },
        ],
      },
    ],
  });
  const content = request.messages?.[0]?.content ?? [];
  expect(content[0]?.image?.format).toBe('png');
  expect(Buffer.from(content[0]?.image?.source?.bytes ?? []).toString('base64')).toBe('iVBORw0KGgo=');
  expect(content.slice(1)).toEqual([{ text: 'What is this?' }, { cachePoint: { type: 'default', ttl: '1h' } }]);
});

it('an image URL that is not a data URL is a clear 400 naming the part (another target may fetch it)', () => {
  const error = failure(() =>
    converse({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
    }),
  );
  expect([error.status, error.code, error.param]).toEqual([
    400,
    'unsupported_image',
    'messages[0].content[0].image_url.url',
  ]);
  expect(error.message).toMatch(/base64 data URLs/);
});

it('tool calls → toolUse; consecutive tool results share one user message, then the next user text joins it', () => {
  const request = converse({
    tools: [weather],
    messages: [
      { role: 'user', content: 'Paris and Tokyo?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 't2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 't1', content: 'sunny', cache_control: { type: 'ephemeral' } },
      { role: 'tool', tool_call_id: 't2', content: [{ type: 'text', text: 'rain' }] },
      { role: 'user', content: 'Thanks' },
    ],
  });
  expect(request.messages).toEqual([
    { role: 'user', content: [{ text: 'Paris and Tokyo?' }] },
    {
      role: 'assistant',
      content: [
        { toolUse: { toolUseId: 't1', name: 'get_weather', input: { city: 'Paris' } } },
        { toolUse: { toolUseId: 't2', name: 'get_weather', input: { city: 'Tokyo' } } },
      ],
    },
    {
      role: 'user',
      content: [
        { toolResult: { toolUseId: 't1', content: [{ text: 'sunny' }] } },
        { cachePoint: { type: 'default' } },
        { toolResult: { toolUseId: 't2', content: [{ text: 'rain' }] } },
        { text: 'Thanks' },
      ],
    },
  ]);
});

it('tool arguments that are not a JSON object are a 400 naming them', () => {
  const error = failure(() =>
    converse({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '[1]' } }] },
        { role: 'tool', tool_call_id: 't', content: 'ok' },
      ],
    }),
  );
  expect([error.code, error.param]).toEqual(['invalid_tool_arguments', 'messages[1].tool_calls[0].function.arguments']);
});

it.each([
  ['auto', { auto: {} }],
  ['required', { any: {} }],
  [{ type: 'function', function: { name: 'get_weather' } }, { tool: { name: 'get_weather' } }],
])('tool_choice %j → toolConfig.toolChoice %j; strict and cache_control kept', (choice, expected) => {
  const request = converse({
    tools: [{ ...weather, function: { ...weather.function, strict: true }, cache_control: { type: 'ephemeral' } }],
    tool_choice: choice,
  });
  expect(request.toolConfig).toEqual({
    tools: [
      {
        toolSpec: {
          name: 'get_weather',
          description: 'Weather',
          inputSchema: { json: { type: 'object', properties: {} } },
          strict: true,
        },
      },
      { cachePoint: { type: 'default' } },
    ],
    toolChoice: expected,
  });
});

it("tool_choice none: no tools at all; with tool blocks in the history the tools go (Converse's rule), named ignored", () => {
  expect(converse({ tools: [weather], tool_choice: 'none' }).toolConfig).toBeUndefined();
  const history = {
    tools: [weather],
    tool_choice: 'none',
    messages: [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        tool_calls: [{ id: 't', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 't', content: 'ok' },
    ],
  };
  expect(converse(history).toolConfig?.toolChoice).toBeUndefined();
  expect(converse(history).toolConfig?.tools).toHaveLength(1);
  expect(ignoredByBedrock(parse(history), CLAUDE)).toContain('tool_choice');
  // No tools sent but tool blocks in the history: a toolSpec per tool name used.
  const { tools: _tools, tool_choice: _choice, ...bare } = history;
  expect(converse(bare).toolConfig).toEqual({
    tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: {} } } } }],
  });
});

it('sampling and length → inferenceConfig; max_completion_tokens wins; stop as a list', () => {
  expect(
    converse({ max_tokens: 50, max_completion_tokens: 70, temperature: 0.2, top_p: 0.9, stop: 'END' }).inferenceConfig,
  ).toEqual({
    maxTokens: 70,
    temperature: 0.2,
    topP: 0.9,
    stopSequences: ['END'],
  });
  expect(converse({}).inferenceConfig).toBeUndefined();
});

it('response_format json_schema → outputConfig.textFormat (schema as JSON text); json_object → an open object', () => {
  const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
  expect(
    converse({ response_format: { type: 'json_schema', json_schema: { name: 'answer', description: 'd', schema } } })
      .outputConfig,
  ).toEqual({
    textFormat: {
      type: 'json_schema',
      structure: { jsonSchema: { schema: JSON.stringify(schema), name: 'answer', description: 'd' } },
    },
  });
  expect(
    converse({ response_format: { type: 'json_object' } }).outputConfig?.textFormat?.structure?.jsonSchema?.schema,
  ).toBe('{"type":"object"}');
});

it("Claude's own settings go to Anthropic model ids only: thinking, reasoning_effort → effort; elsewhere named ignored", () => {
  const body = { thinking: { type: 'enabled', budget_tokens: 2048 }, reasoning_effort: 'minimal' };
  expect(converse(body)).toMatchObject({
    additionalModelRequestFields: { thinking: { type: 'enabled', budget_tokens: 2048 } },
    outputConfig: { effort: 'low' },
  });
  const llama = converse(body, LLAMA);
  expect([llama.additionalModelRequestFields, llama.outputConfig]).toEqual([undefined, undefined]);
  expect(ignoredByBedrock(parse(body), LLAMA)).toEqual(['thinking', 'reasoning_effort']);
  expect(ignoredByBedrock(parse(body), CLAUDE)).toEqual([]);
});

it("an assistant's thinking blocks go back as reasoningContent, before its text", () => {
  const request = converse({
    messages: [
      { role: 'user', content: 'x' },
      {
        role: 'assistant',
        content: 'Answer',
        thinking_blocks: [
          { type: 'thinking', thinking: 'hmm', signature: 'sig' },
          { type: 'redacted_thinking', data: 'AQID' },
        ],
      },
      { role: 'user', content: 'y' },
    ],
  });
  const content = request.messages?.[1]?.content ?? [];
  expect(content[0]).toEqual({ reasoningContent: { reasoningText: { text: 'hmm', signature: 'sig' } } });
  expect([...(content[1]?.reasoningContent?.redactedContent ?? [])]).toEqual([1, 2, 3]);
  expect(content[2]).toEqual({ text: 'Answer' });
});

it.each([
  ['seed', { seed: 1 }],
  ['frequency_penalty', { frequency_penalty: 0.5 }],
  ['logprobs', { logprobs: true }],
  ['logit_bias', { logit_bias: { '42': 1 } }],
])('%s changes the answer and has no Converse equivalent: refused (400 unsupported_parameter)', (field, body) => {
  const error = failure(() => converse(body));
  expect([error.status, error.code, error.param]).toEqual([400, 'unsupported_parameter', field]);
});

it('hints without effect on the meaning are dropped and named', () => {
  const request = parse({ store: true, user: 'u-1', top_k: 5, parallel_tool_calls: false, prompt_cache_key: 'k' });
  expect(ignoredByBedrock(request, CLAUDE)).toEqual([
    'store',
    'prompt_cache_key',
    'top_k',
    'user',
    'parallel_tool_calls',
  ]);
  expect(converse({ store: true, user: 'u-1', top_k: 5 })).not.toHaveProperty('additionalModelRequestFields');
});
