import type { ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { ignoredByResponses } from '../../../lambdas/providers/openai/responses-ignored.js';
import { toResponsesRequest } from '../../../lambdas/providers/openai/responses-request.js';

// The canonical request → the Responses API (an OpenAI target's native lane for /v1/responses).

const WEATHER = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } },
};

it('messages: instructions, user parts, an assistant turn (reasoning item, text, calls) and tool outputs, in order', () => {
  const request: ChatRequest = {
    model: 'alias',
    messages: [
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' } },
        ],
      },
      {
        role: 'assistant',
        content: 'Checking.',
        thinking_blocks: [
          { type: 'openai_reasoning', id: 'rs_1', summary: ['Plan'], encrypted_content: 'enc_1' },
          { type: 'openai_reasoning', id: 'rs_2', summary: [] },
          { type: 'thinking', thinking: 'Anthropic', signature: 'sig' },
        ],
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '21°C' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
    ],
  };
  const params = toResponsesRequest(request, 'gpt-5', undefined);
  expect(params).toMatchObject({ model: 'gpt-5', store: false, instructions: 'Be brief.' });
  expect(params.input).toEqual([
    {
      type: 'message',
      role: 'user',
      content: [
        { type: 'input_text', text: 'Look' },
        { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' },
        { type: 'input_file', file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' },
      ],
    },
    { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Plan' }], encrypted_content: 'enc_1' },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.', annotations: [] }] },
    { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{}' },
    { type: 'function_call_output', call_id: 'call_1', output: '21°C' },
    { type: 'message', role: 'developer', content: 'Answer in French.' },
  ]);
  // The reasoning item without encrypted_content (OpenAI cannot find it with store: false) and Anthropic's block.
  expect(ignoredByResponses(request)).toEqual(['thinking_blocks']);
});

it('fields: tools, tool_choice, text.format, max_output_tokens, reasoning, the native include and truncation', () => {
  const request: ChatRequest = {
    model: 'alias',
    messages: [{ role: 'user', content: 'hi' }],
    tools: [WEATHER],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
    parallel_tool_calls: false,
    response_format: { type: 'json_schema', json_schema: { name: 'out', schema: { type: 'object' }, strict: true } },
    verbosity: 'low',
    max_completion_tokens: 300,
    temperature: 0.2,
    top_p: null,
    reasoning_effort: 'high',
    user: 'u-1',
    safety_identifier: 'sid',
    prompt_cache_key: 'pck',
    prompt_cache_retention: 'in-memory',
    service_tier: 'flex',
    metadata: { team: 'a' },
    seed: 7,
  };
  const native = {
    include: ['reasoning.encrypted_content' as const],
    reasoningSummary: 'auto' as const,
    truncation: 'auto' as const,
    dropped: [],
  };
  const params = toResponsesRequest(request, 'gpt-5', native);
  expect(params).toEqual({
    model: 'gpt-5',
    input: [{ type: 'message', role: 'user', content: 'hi' }],
    store: false,
    tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: WEATHER.function.parameters }],
    tool_choice: { type: 'function', name: 'get_weather' },
    parallel_tool_calls: false,
    text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true }, verbosity: 'low' },
    max_output_tokens: 300,
    temperature: 0.2,
    reasoning: { effort: 'high', summary: 'auto' },
    user: 'u-1',
    safety_identifier: 'sid',
    prompt_cache_key: 'pck',
    prompt_cache_retention: 'in_memory',
    service_tier: 'flex',
    include: ['reasoning.encrypted_content'],
    truncation: 'auto',
  });
  // metadata is the gateway's own (not sent, not named); seed has no place in the Responses API.
  expect(ignoredByResponses(request)).toEqual(['seed']);
});

it("Anthropic's thinking budget becomes reasoning.effort; its hints are named", () => {
  const request: ChatRequest = {
    model: 'alias',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }] }],
    thinking: { type: 'enabled', budget_tokens: 2048 },
    top_k: 5,
  };
  expect(toResponsesRequest(request, 'm', undefined).reasoning).toEqual({ effort: 'low' });
  expect(ignoredByResponses(request)).toEqual(['cache_control', 'top_k']);
});

it('replayed hosted items (web_search_call…) go upstream as sent, before the message they stood before', () => {
  const search = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } };
  const request: ChatRequest = {
    model: 'alias',
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'found' },
    ],
  };
  const replayed = [
    { before: 0, item: { ...search, id: 'ws_0' } },
    { before: 2, item: search },
    { before: 3, item: { ...search, id: 'ws_3' } },
  ];
  const sent = toResponsesRequest(request, 'gpt-5', { dropped: [], replayed });
  expect(sent.instructions).toBe('Be brief.');
  expect((sent.input as { type?: string; id?: string }[]).map((item) => item.id ?? item.type)).toEqual([
    'ws_0',
    'message',
    'ws_1',
    'message',
    'ws_3',
  ]);
  expect((sent.input as unknown[])[2]).toEqual(search);
});
