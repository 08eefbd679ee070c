import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { messagesRequestSchema } from '../../../lambdas/api/messages-schemas.js';
import { toChatRequest } from '../../../lambdas/formats/anthropic-messages/messages-request.js';

// /v1/messages bodies → the canonical (OpenAI-shaped) request: what maps to what, that the result is a valid
// canonical request (the chat schema accepts it), and what the schema refuses.

const base = { model: 'target', max_tokens: 256 };
const weather = {
  name: 'get_weather',
  description: 'Weather of a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } } },
};

/** Parses like the route does, translates, and checks the outcome against the chat schema. */
function translate(body: Record<string, unknown>): ChatRequest {
  const request = toChatRequest(messagesRequestSchema.parse({ ...base, ...body }));
  expect(chatRequestSchema.safeParse(request).error).toBeUndefined();
  return request;
}

const refusal = (body: Record<string, unknown>) => {
  const parsed = messagesRequestSchema.safeParse({ ...base, ...body });
  expect(parsed.success).toBe(false);
  return parsed.error?.issues[0];
};

describe('request fields', () => {
  it('max_tokens → max_completion_tokens, stop_sequences → stop, metadata.user_id → user, sampling as is', () => {
    const request = translate({
      messages: [{ role: 'user', content: 'hi' }],
      stop_sequences: ['END', '###'],
      metadata: { user_id: 'user-42' },
      temperature: 0.3,
      top_p: 0.9,
      stream: true,
    });
    expect(request).toEqual({
      model: 'target',
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 256,
      stop: ['END', '###'],
      user: 'user-42',
      temperature: 0.3,
      top_p: 0.9,
      stream: true,
    });
  });

  it('leaves out what was not given (no empty stop list, no null user)', () => {
    const request = translate({
      messages: [{ role: 'user', content: 'hi' }],
      stop_sequences: [],
      metadata: { user_id: null },
    });
    expect(Object.keys(request).sort()).toEqual(['max_completion_tokens', 'messages', 'model']);
  });

  it('output_config.format (json_schema) → response_format json_schema', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const request = translate({
      messages: [{ role: 'user', content: 'x' }],
      output_config: { format: { type: 'json_schema', schema } },
    });
    expect(request.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'output', schema } });
  });
});

describe('system and messages', () => {
  it('a system string leads; system blocks become text parts; an empty system string is none', () => {
    expect(translate({ system: 'Be terse.', messages: [{ role: 'user', content: 'x' }] }).messages[0]).toEqual({
      role: 'system',
      content: 'Be terse.',
    });
    expect(
      translate({
        system: [
          { type: 'text', text: 'A' },
          { type: 'text', text: 'B' },
        ],
        messages: [{ role: 'user', content: 'x' }],
      }).messages[0],
    ).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'A' },
        { type: 'text', text: 'B' },
      ],
    });
    expect(translate({ system: '', messages: [{ role: 'user', content: 'x' }] }).messages).toEqual([
      { role: 'user', content: 'x' },
    ]);
  });

  it('user text and images: base64 → data URL, url stays a URL', () => {
    const { messages } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
  });

  it('an agent turn: tool_use → tool_calls (input as JSON text); tool_result → tool messages first, then the user text', () => {
    // The assistant's blocks as a response carried them (citations: null, caller: direct): apps send them back so.
    const { messages } = translate({
      tools: [weather],
      messages: [
        { role: 'user', content: 'Paris and Tokyo?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.', citations: null },
            {
              type: 'tool_use',
              id: 'toolu_1',
              name: 'get_weather',
              input: { city: 'Paris' },
              caller: { type: 'direct' },
            },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Tōkyō' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '21°C' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              content: [
                { type: 'text', text: '18°C' },
                { type: 'text', text: 'cloudy' },
              ],
            },
            { type: 'text', text: 'Compare them.' },
          ],
        },
      ],
    });
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [{ type: 'text', text: 'Checking.' }],
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tōkyō"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: '21°C' },
      {
        role: 'tool',
        tool_call_id: 'toolu_2',
        content: [
          { type: 'text', text: '18°C' },
          { type: 'text', text: 'cloudy' },
        ],
      },
      { role: 'user', content: [{ type: 'text', text: 'Compare them.' }] },
    ]);
  });

  it('an assistant of tool_use only has null content; a tool_result without content is the empty string', () => {
    const { messages } = translate({
      tools: [weather],
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'get_weather', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
      ],
    });
    expect(messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 't1', content: '' },
    ]);
  });

  it('is_error: true is said in words (OpenAI has no flag for it)', () => {
    const result = (content: unknown) =>
      translate({
        messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', is_error: true, content }] }],
      }).messages[0];
    expect(result('city not found')).toEqual({
      role: 'tool',
      tool_call_id: 't1',
      content: [
        { type: 'text', text: 'Tool error:' },
        { type: 'text', text: 'city not found' },
      ],
    });
    expect(result('')).toEqual({ role: 'tool', tool_call_id: 't1', content: 'Tool error:' });
  });

  it('a tool_result with an image keeps it as an image part of the tool message', () => {
    const { messages } = translate({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                { type: 'text', text: 'the screenshot' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/x.png' } },
              ],
            },
          ],
        },
      ],
    });
    expect(messages).toEqual([
      {
        role: 'tool',
        tool_call_id: 't1',
        content: [
          { type: 'text', text: 'the screenshot' },
          { type: 'image_url', image_url: { url: 'https://example.com/x.png' } },
        ],
      },
    ]);
  });

  it('system messages inside messages stay system messages', () => {
    const { messages } = translate({
      messages: [
        { role: 'user', content: 'x' },
        { role: 'system', content: 'Now answer in French.' },
      ],
    });
    expect(messages[1]).toEqual({ role: 'system', content: 'Now answer in French.' });
  });
});

describe('tools and tool_choice', () => {
  it('tools → functions with input_schema as parameters (strict kept)', () => {
    const request = translate({
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        { ...weather, strict: true },
        { name: 'now', input_schema: { type: 'object' } },
      ],
    });
    expect(request.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather of a city',
          parameters: weather.input_schema,
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object' } } },
    ]);
  });

  it.each([
    [{ type: 'auto' }, 'auto', undefined],
    [{ type: 'any' }, 'required', undefined],
    [{ type: 'none' }, 'none', undefined],
    [{ type: 'tool', name: 'get_weather' }, { type: 'function', function: { name: 'get_weather' } }, undefined],
    [{ type: 'any', disable_parallel_tool_use: true }, 'required', false],
    [{ type: 'auto', disable_parallel_tool_use: false }, 'auto', undefined],
  ])('tool_choice %j → %j, parallel_tool_calls %s', (choice, expected, parallel) => {
    const request = translate({ messages: [{ role: 'user', content: 'x' }], tools: [weather], tool_choice: choice });
    expect(request.tool_choice).toEqual(expected);
    expect(request.parallel_tool_calls).toBe(parallel);
  });
});

describe('refused by the schema (400 naming the field)', () => {
  it.each([
    ['max_tokens missing', { max_tokens: undefined, messages: [{ role: 'user', content: 'x' }] }, ['max_tokens']],
    ['temperature above 1', { temperature: 1.5, messages: [{ role: 'user', content: 'x' }] }, ['temperature']],
    [
      'more than 4 stop sequences',
      { stop_sequences: ['a', 'b', 'c', 'd', 'e'], messages: [{ role: 'user', content: 'x' }] },
      ['stop_sequences'],
    ],
    [
      'tool_choice naming an unknown tool',
      { tools: [weather], tool_choice: { type: 'tool', name: 'nope' }, messages: [{ role: 'user', content: 'x' }] },
      ['tool_choice', 'name'],
    ],
    [
      'tool_choice without tools',
      { tool_choice: { type: 'any' }, messages: [{ role: 'user', content: 'x' }] },
      ['tool_choice'],
    ],
    [
      'an input_schema not of type object',
      { tools: [{ name: 'f', input_schema: { type: 'string' } }], messages: [{ role: 'user', content: 'x' }] },
      ['tools', 0, 'input_schema'],
    ],
    [
      'a tool name over 64 characters',
      {
        tools: [{ name: 'f'.repeat(65), input_schema: { type: 'object' } }],
        messages: [{ role: 'user', content: 'x' }],
      },
      ['tools', 0, 'name'],
    ],
    ['an empty content list', { messages: [{ role: 'user', content: [] }] }, ['messages', 0, 'content']],
  ])('%s', (_, body, path) => {
    expect(refusal(body)?.path).toEqual(path);
  });
});
