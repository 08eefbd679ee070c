import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toMessageCreateParams } from '../../../lambdas/providers/anthropic/anthropic-request.js';

/** Requests go through the real schema first, so every case is one the gateway would accept. */
const request = (fields: Record<string, unknown>): ChatRequest =>
  chatRequestSchema.parse({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], ...fields });

const translate = (fields: Record<string, unknown>, defaultMaxTokens = 1024) =>
  toMessageCreateParams(request(fields), 'claude-sonnet-4-6', defaultMaxTokens);

function rejection(fields: Record<string, unknown>): GatewayError {
  try {
    translate(fields);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a 400');
}

describe('Anthropic request translation: messages', () => {
  it('sends the target model and a plain user turn as text blocks', () => {
    expect(translate({})).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
  });

  it('moves leading system and developer messages to the top-level system, joined', () => {
    const params = translate({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'developer',
          content: [
            { type: 'text', text: 'Answer in French.' },
            { type: 'text', text: 'No lists.' },
          ],
        },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(params.system).toBe('Be brief.\n\nAnswer in French.\nNo lists.');
    expect(params.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('keeps a later system message in place as a system message', () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'developer', content: 'From now on, answer in German.' },
        { role: 'user', content: 'How are you?' },
      ],
    });
    expect(params.system).toBeUndefined();
    expect(params.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'system', 'user']);
    expect(params.messages[2]).toEqual({
      role: 'system',
      content: [{ type: 'text', text: 'From now on, answer in German.' }],
    });
  });

  it('rejects a conversation of system messages only', () => {
    const err = rejection({ messages: [{ role: 'system', content: 'Be brief.' }] });
    expect(err.status).toBe(400);
    expect(err.param).toBe('messages');
  });

  it('translates data-URL and http(s) images, dropping detail', () => {
    const params = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          ],
        },
      ],
    });
    expect(params.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare these.' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });

  it.each([
    ['ftp://example.com/cat.png', 'invalid_image_url'],
    ['data:image/png,not-base64', 'invalid_image_url'],
    ['data:image/bmp;base64,Qk0=', 'unsupported_image'],
  ])('rejects the image URL %s naming the part', (url, code) => {
    const err = rejection({
      messages: [
        { role: 'system', content: 'x' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
    });
    expect(err.status).toBe(400);
    expect(err.code).toBe(code);
    expect(err.param).toBe('messages[1].content[1].image_url.url');
  });

  it('turns tool calls into tool_use blocks and tool results into one merged user turn', () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'Weather in Paris and Tokyo?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '22°C' }] },
        { role: 'user', content: 'Thanks. Which is warmer?' },
      ],
    });
    expect(params.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_weather', input: { city: 'Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '22°C' }] },
          { type: 'text', text: 'Thanks. Which is warmer?' },
        ],
      },
    ]);
  });

  it('sends no text block for an assistant tool call without content, and merges consecutive same-role turns', () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: 'b' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
      ],
    });
    expect(params.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'c', name: 'f', input: {} }] },
    ]);
  });

  it.each(['{"city": "Par', '[1,2]', ''])('rejects tool call arguments %j naming the message', (args) => {
    const err = rejection({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }] },
      ],
    });
    expect(err.status).toBe(400);
    expect(err.code).toBe('invalid_tool_arguments');
    expect(err.message).toContain('messages[1]');
    expect(err.param).toBe('messages[1].tool_calls[0].function.arguments');
  });
});

describe('Anthropic request translation: parameters', () => {
  it.each([
    [{}, 1024],
    [{ max_tokens: 300 }, 300],
    [{ max_tokens: 300, max_completion_tokens: 200 }, 200],
    [{ max_tokens: null, max_completion_tokens: null }, 1024],
  ])('max_tokens from %j is %i', (fields, expected) => {
    expect(translate(fields).max_tokens).toBe(expected);
  });

  it('maps stop to stop_sequences and user to metadata.user_id, and does not forward OpenAI metadata', () => {
    expect(translate({ stop: 'END' }).stop_sequences).toEqual(['END']);
    const params = translate({ stop: ['a', 'b'], user: 'user-42', metadata: { team: 'search' } });
    expect(params.stop_sequences).toEqual(['a', 'b']);
    expect(params.metadata).toEqual({ user_id: 'user-42' });
    expect(JSON.stringify(params)).not.toContain('search');
    expect(translate({ stop: null }).stop_sequences).toBeUndefined();
  });

  it.each([
    ['temperature', 0.2],
    ['top_p', 0.9],
    ['seed', 7],
    ['frequency_penalty', 0.5],
    ['presence_penalty', -0.5],
  ])('rejects %s with unsupported_parameter', (field, value) => {
    const err = rejection({ [field]: value });
    expect(err.status).toBe(400);
    expect(err.code).toBe('unsupported_parameter');
    expect(err.param).toBe(field);
    expect(err.message).toContain('2026-10-21');
  });

  it('accepts the unsupported sampling fields when they are null', () => {
    const fields = { temperature: null, top_p: null, seed: null, frequency_penalty: null, presence_penalty: null };
    expect(translate(fields)).not.toHaveProperty('temperature');
  });

  it('maps response_format to output_config.format', () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] };
    expect(
      translate({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } })
        .output_config,
    ).toEqual({
      format: { type: 'json_schema', schema },
    });
    expect(translate({ response_format: { type: 'json_schema', json_schema: { name: 'any' } } }).output_config).toEqual(
      {
        format: { type: 'json_schema', schema: { type: 'object' } },
      },
    );
    expect(translate({ response_format: { type: 'json_object' } }).output_config).toEqual({
      format: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(translate({ response_format: { type: 'text' } })).not.toHaveProperty('output_config');
  });
});

describe('Anthropic request translation: tools', () => {
  const weather = {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather now',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  };
  const clock = { type: 'function', function: { name: 'now', strict: true } };

  it('translates tools, with an empty object schema for a function without parameters', () => {
    expect(translate({ tools: [weather, clock] }).tools).toEqual([
      {
        name: 'get_weather',
        description: 'Weather now',
        input_schema: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { name: 'now', input_schema: { type: 'object', properties: {} }, strict: true },
    ]);
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [
      { type: 'function', function: { name: 'now' } },
      { type: 'tool', name: 'now' },
    ],
  ])('maps tool_choice %j', (choice, expected) => {
    expect(translate({ tools: [weather, clock], tool_choice: choice }).tool_choice).toEqual(expected);
  });

  it('maps parallel_tool_calls: false to disable_parallel_tool_use', () => {
    expect(translate({ tools: [weather], parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(translate({ tools: [weather], tool_choice: 'required', parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(translate({ tools: [weather], tool_choice: 'none', parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'none',
    });
    expect(translate({ tools: [weather], parallel_tool_calls: true })).not.toHaveProperty('tool_choice');
  });

  it('sends neither tools nor tool_choice without tools', () => {
    const params = translate({ tool_choice: 'none', parallel_tool_calls: false });
    expect(params).not.toHaveProperty('tools');
    expect(params).not.toHaveProperty('tool_choice');
  });
});
