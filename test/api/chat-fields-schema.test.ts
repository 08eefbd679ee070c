import { chatRequestSchema } from '../../lambdas/api/chat-schemas.js';
import { firstIssue } from '../../lambdas/middleware/json-body.js';

// The chat request's LiteLLM-compatible extensions (issue 16): accepted in their shapes, refused (400 naming the
// field) otherwise.

const base = { model: 'alias', messages: [{ role: 'user', content: 'Hi' }] };
const ephemeral = { type: 'ephemeral' };
const paramOf = (body: Record<string, unknown>): string | null | undefined => {
  const parsed = chatRequestSchema.safeParse({ ...base, ...body });
  return parsed.success ? undefined : firstIssue(parsed.error).param;
};

it('accepts cache_control on parts, tool messages and tools; top_k, thinking, context_management, thinking_blocks', () => {
  const body = {
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'S', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'T', cache_control: ephemeral },
          { type: 'image_url', image_url: { url: 'https://x.test/a.png' }, cache_control: ephemeral },
          { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE' }, cache_control: ephemeral },
        ],
      },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        thinking_blocks: [
          { type: 'thinking', thinking: 'x', signature: 's' },
          { type: 'redacted_thinking', data: 'd' },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 't1',
        content: [{ type: 'image_url', image_url: { url: 'https://x.test/b.png' } }],
        cache_control: ephemeral,
      },
    ],
    tools: [
      {
        type: 'function',
        function: { name: 'f', description: 'd'.repeat(20_000) },
        cache_control: ephemeral,
        defer_loading: true,
        eager_input_streaming: false,
      },
    ],
    top_k: 0,
    thinking: { type: 'enabled', budget_tokens: 1024 },
    context_management: { edits: [] },
  };
  expect(paramOf(body)).toBeUndefined();
});

it.each([
  ['top_k negative', { top_k: -1 }, 'top_k'],
  ['thinking budget under 1024', { thinking: { type: 'enabled', budget_tokens: 10 } }, 'thinking.budget_tokens'],
  ['thinking unknown type', { thinking: { type: 'maybe' } }, 'thinking.type'],
  ['context_management a list', { context_management: [] }, 'context_management'],
  [
    'cache_control of another type',
    { messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'forever' } }] }] },
    'messages[0].content[0].cache_control.type',
  ],
  [
    'a thinking block without signature',
    {
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', content: 'y', thinking_blocks: [{ type: 'thinking', thinking: 'x' }] },
      ],
    },
    'messages[1].thinking_blocks[0].signature',
  ],
  [
    'defer_loading not a boolean',
    { tools: [{ type: 'function', function: { name: 'f' }, defer_loading: 1 }] },
    'tools[0].defer_loading',
  ],
  [
    'a tool file part without data or id',
    {
      messages: [
        { role: 'user', content: 'x' },
        { role: 'tool', tool_call_id: 't', content: [{ type: 'file', file: {} }] },
      ],
    },
    'messages[1].content[0].file',
  ],
])('%s → 400 naming it', (_name, body, param) => {
  expect(paramOf(body)).toBe(param);
});
