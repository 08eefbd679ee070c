import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { ignoredByOpenAI } from '../../../lambdas/providers/openai/ignored-fields.js';
import { toOpenAIRequest } from '../../../lambdas/providers/openai/openai-request.js';

// An OpenAI target gets no Anthropic-only field (the SDK sends whatever the body holds): each is dropped and named;
// `thinking` with a budget becomes reasoning_effort; a tool result's images and files move to a user message.

const request = (fields: Record<string, unknown>): ChatRequest =>
  chatRequestSchema.parse({ model: 'alias', messages: [{ role: 'user', content: 'Hi' }], ...fields });
const ephemeral = { type: 'ephemeral' } as const;
const call = { id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } } as const;

const EXTENDED = {
  messages: [
    { role: 'system', content: [{ type: 'text', text: 'Rules', cache_control: ephemeral }] },
    {
      role: 'user',
      content: [
        {
          type: 'file',
          file: { file_data: 'data:application/pdf;base64,JVBE' },
          context: 'c',
          citations: { enabled: true },
        },
      ],
    },
    {
      role: 'assistant',
      content: null,
      tool_calls: [call],
      thinking_blocks: [{ type: 'thinking', thinking: 'x', signature: 's' }],
    },
    { role: 'tool', tool_call_id: 't1', content: 'ok', cache_control: ephemeral },
  ],
  tools: [
    {
      type: 'function',
      function: { name: 'f' },
      cache_control: ephemeral,
      defer_loading: true,
      eager_input_streaming: true,
    },
  ],
  top_k: 3,
  thinking: { type: 'adaptive' },
  context_management: { edits: [] },
  service_tier: 'standard_only',
};

it('strips every Anthropic-only field from the upstream body and names each', () => {
  const body = toOpenAIRequest(request(EXTENDED), 'gpt-x');
  expect(body).toEqual({
    model: 'gpt-x',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'Rules' }] },
      { role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } }] },
      { role: 'assistant', content: null, tool_calls: [call] },
      { role: 'tool', tool_call_id: 't1', content: 'ok' },
    ],
    tools: [{ type: 'function', function: { name: 'f' } }],
  });
  expect(ignoredByOpenAI(request(EXTENDED)).sort()).toEqual(
    [
      'cache_control',
      'top_k',
      'thinking',
      'context_management',
      'thinking_blocks',
      'defer_loading',
      'eager_input_streaming',
      'service_tier',
      'context',
      'citations',
    ].sort(),
  );
});

it('names nothing and changes nothing for a plain OpenAI request', () => {
  const fields = {
    service_tier: 'flex',
    reasoning_effort: 'low',
    messages: [{ role: 'user', content: 'Hi', name: 'bob' }],
  };
  expect(ignoredByOpenAI(request(fields))).toEqual([]);
  expect(toOpenAIRequest(request(fields), 'gpt-x')).toEqual({ model: 'gpt-x', ...fields });
});

it.each([
  [1024, 'low'],
  [4096, 'low'],
  [4097, 'medium'],
  [16_384, 'medium'],
  [16_385, 'high'],
])('thinking enabled with budget %i → reasoning_effort %s, not named', (budget, effort) => {
  const fields = { thinking: { type: 'enabled', budget_tokens: budget } };
  expect(toOpenAIRequest(request(fields), 'gpt-x').reasoning_effort).toBe(effort);
  expect(ignoredByOpenAI(request(fields))).toEqual([]);
});

it("the client's reasoning_effort wins over thinking (then named); adaptive and disabled set nothing", () => {
  const both = request({ thinking: { type: 'enabled', budget_tokens: 30_000 }, reasoning_effort: 'minimal' });
  expect(toOpenAIRequest(both, 'gpt-x').reasoning_effort).toBe('minimal');
  expect(ignoredByOpenAI(both)).toEqual(['thinking']);
  for (const thinking of [{ type: 'adaptive' }, { type: 'disabled' }]) {
    expect(toOpenAIRequest(request({ thinking }), 'gpt-x')).not.toHaveProperty('reasoning_effort');
    expect(ignoredByOpenAI(request({ thinking }))).toEqual(['thinking']);
  }
});

it("a tool result's images and files move into a user message after the turn's tool messages", () => {
  const image = { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } };
  const file = { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' } };
  const body = toOpenAIRequest(
    request({
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, tool_calls: [call, { ...call, id: 't2' }] },
        { role: 'tool', tool_call_id: 't1', content: [{ type: 'text', text: 'shot' }, image] },
        { role: 'tool', tool_call_id: 't2', content: [file] },
        { role: 'user', content: 'and?' },
      ],
    }),
    'gpt-x',
  );
  expect(body.messages.slice(2)).toEqual([
    {
      role: 'tool',
      tool_call_id: 't1',
      content: [
        { type: 'text', text: 'shot' },
        { type: 'text', text: '(attached below)' },
      ],
    },
    { role: 'tool', tool_call_id: 't2', content: [{ type: 'text', text: '(attached below)' }] },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Attachments of tool result t1:' },
        image,
        { type: 'text', text: 'Attachments of tool result t2:' },
        file,
      ],
    },
    { role: 'user', content: 'and?' },
  ]);
});
