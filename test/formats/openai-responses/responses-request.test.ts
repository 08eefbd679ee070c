import type { ResolvedItem } from '../../../lambdas/api/responses-input-schemas.js';
import { responsesRequestSchema } from '../../../lambdas/api/responses-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toChatRequest } from '../../../lambdas/formats/openai-responses/responses-request.js';

// A /v1/responses request and its conversation → the canonical ChatRequest: what is translated, what is dropped and
// named, what is refused with a reason.

const parse = (body: Record<string, unknown>) => responsesRequestSchema.parse({ model: 'target', ...body });
const itemsOf = (body: Record<string, unknown>): ResolvedItem[] => {
  const input = parse(body).input;
  if (input === undefined) return [];
  return typeof input === 'string' ? [{ role: 'user', content: input }] : (input as ResolvedItem[]);
};
const translate = (body: Record<string, unknown>) => toChatRequest(parse(body), itemsOf(body));
const refusal = (body: Record<string, unknown>): [string, string | null] => {
  try {
    translate(body);
  } catch (err) {
    if (err instanceof GatewayError) return [err.code, err.param];
    throw err;
  }
  throw new Error('not refused');
};

it('items: parts, function calls and reasoning joined to the assistant message, tool outputs', () => {
  const { chat, ignored } = translate({
    instructions: 'Be brief.',
    input: [
      { role: 'developer', content: [{ type: 'input_text', text: 'Use tools.' }] },
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Look:' },
          { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'low' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' },
        ],
      },
      { type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' },
      {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Checking.', annotations: [] }],
      },
      { type: 'function_call', id: 'fc_1', call_id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { type: 'function_call', call_id: 'call_b', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      { type: 'function_call_output', call_id: 'call_a', output: '21°C' },
      { type: 'function_call_output', call_id: 'call_b', output: [{ type: 'input_text', text: '18°C' }] },
    ],
  });
  expect(chat.messages).toEqual([
    { role: 'system', content: 'Be brief.' },
    { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Look:' },
        { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'low' } },
        { type: 'file', file: { file_data: 'data:application/pdf;base64,AAAA', filename: 'a.pdf' } },
      ],
    },
    {
      role: 'assistant',
      content: 'Checking.',
      thinking_blocks: [{ type: 'openai_reasoning', id: 'rs_1', summary: [], encrypted_content: 'opaque' }],
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
        { id: 'call_b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_a', content: '21°C' },
    { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '18°C' }] },
  ]);
  expect(ignored).toEqual([]);
});

it('fields: translated, kept by the gateway, or dropped and named', () => {
  const { chat, ignored } = translate({
    input: 'hi',
    text: { format: { type: 'json_object' }, verbosity: 'low' },
    max_output_tokens: 99,
    reasoning: { effort: 'high', summary: 'auto' },
    prompt_cache_key: 'k',
    prompt_cache_retention: 'in_memory',
    safety_identifier: 'u-1',
    metadata: { a: 'b' },
    store: true,
    include: ['reasoning.encrypted_content', 'message.output_text.logprobs'],
    truncation: 'auto',
    client_metadata: { session: 'x' },
    tool_choice: 'auto',
    parallel_tool_calls: false,
  });
  expect(chat).toEqual({
    model: 'target',
    messages: [{ role: 'user', content: 'hi' }],
    response_format: { type: 'json_object' },
    verbosity: 'low',
    max_completion_tokens: 99,
    reasoning_effort: 'high',
    prompt_cache_key: 'k',
    prompt_cache_retention: 'in-memory',
    safety_identifier: 'u-1',
  });
  expect(ignored).toEqual([
    'reasoning.summary',
    'include[message.output_text.logprobs]',
    'truncation',
    'client_metadata',
  ]);
});

it('offered tools: custom and namespace tools translated (as Codex sends them); hosted tools left to the targets', () => {
  const tool = { type: 'function', name: 'f', parameters: { type: 'object' } };
  const { chat, ignored, hosted } = translate({
    input: 'x',
    tools: [
      tool,
      { type: 'web_search', external_web_access: false },
      { type: 'tool_search', execution: 'client', description: 'Search tools' },
      { type: 'namespace', name: 'agents', description: 'Sub-agents', tools: [tool] },
      { type: 'custom', name: 'apply_patch', description: 'Edit files', format: { type: 'text' } },
      { type: 'web_search' },
    ],
  });
  expect(chat.tools?.map((t) => t.function.name)).toEqual(['f', 'agents__f', 'apply_patch']);
  // Not the format's to drop: the chat service names them per target that lacks them (chat/hosted-gate.ts).
  expect(ignored).toEqual([]);
  expect(hosted.tools.map((t) => [t.type, t.required])).toEqual([
    ['web_search', false],
    ['tool_search', false],
    ['web_search', false],
  ]);
  expect(hosted.forced).toBeUndefined();
});

it('a tool_choice naming a hosted tool of the request forces it: required, no canonical tool_choice', () => {
  const { chat, hosted } = translate({
    input: 'news?',
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }, { type: 'web_search' }],
    tool_choice: { type: 'web_search' },
  });
  expect(chat.tool_choice).toBeUndefined();
  expect(hosted).toEqual({
    format: 'responses',
    tools: [{ type: 'web_search', spec: { type: 'web_search' }, required: true }],
    forced: 'web_search',
  });
});

it('additional_tools input items (Codex): their tools join the request tools; the item is no message', () => {
  const { chat, hosted } = translate({
    input: [
      {
        type: 'additional_tools',
        role: 'developer',
        tools: [
          { type: 'function', name: 'shell', parameters: { type: 'object' } },
          { type: 'custom', name: 'apply_patch', format: { type: 'text' } },
          { type: 'web_search' },
        ],
      },
      { role: 'user', content: 'hi' },
      { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } },
    ],
    tools: [{ type: 'function', name: 'f', parameters: { type: 'object' } }],
  });
  expect(chat.tools?.map((t) => t.function.name)).toEqual(['f', 'shell', 'apply_patch']);
  expect(chat.messages).toEqual([{ role: 'user', content: 'hi' }]);
  expect(hosted.tools.map((t) => t.type)).toEqual(['web_search']);
});

it('a replayed hosted item (web_search_call) → `replayed`, before the canonical message it stood before; named', () => {
  const search = { type: 'web_search_call', id: 'ws_1', status: 'completed', action: { type: 'search', query: 'q' } };
  const { chat, replayed, ignored } = translate({
    instructions: 'Be brief.',
    input: [{ role: 'user', content: 'hi' }, search, { role: 'assistant', content: 'found' }, search],
  });
  expect(chat.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant']);
  expect(replayed).toEqual([
    { before: 2, item: search },
    { before: 3, item: search },
  ]);
  expect(ignored).toContain('input[].web_search_call');
});

it('refused with a reason: hosted tool choices, background, conversation, prompt, file ids and URLs', () => {
  const tool = { type: 'function', name: 'f', parameters: { type: 'object' } };
  expect(refusal({ input: 'x', tools: [tool], tool_choice: { type: 'web_search_preview' } })).toEqual([
    'unsupported_parameter',
    'tool_choice',
  ]);
  expect(refusal({ input: 'x', tools: [tool], tool_choice: { type: 'function', name: 'g' } })).toEqual([
    'unsupported_parameter',
    'tool_choice.name',
  ]);
  expect(refusal({ input: 'x', background: true })).toEqual(['unsupported_parameter', 'background']);
  expect(refusal({ input: 'x', conversation: 'conv_1' })).toEqual(['unsupported_parameter', 'conversation']);
  expect(refusal({ input: 'x', prompt: { id: 'pmpt_1' } })).toEqual(['unsupported_parameter', 'prompt']);
  expect(refusal({ input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file_1' }] }] })).toEqual([
    'unsupported_content',
    'input[0].content[0]',
  ]);
  expect(
    refusal({ input: [{ role: 'user', content: [{ type: 'input_file', file_url: 'https://x/a.pdf' }] }] }),
  ).toEqual(['unsupported_content', 'input[0].content[0]']);
  expect(refusal({ instructions: 'Only this.' })).toEqual(['invalid_messages', 'input']);
});

it('the schema refuses what the Responses API does not have, naming it', () => {
  const result = responsesRequestSchema.safeParse({ model: 'target', input: 'x', messages: [] });
  expect(result.success).toBe(false);
  expect(JSON.stringify(result.error?.issues)).toContain('messages');
});
