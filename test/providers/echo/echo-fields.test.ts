import { chatRequestSchema } from '../../../lambdas/api/chat-schemas.js';
import { EchoProvider } from '../../../lambdas/providers/echo/echo-provider.js';

// The echo target with every Anthropic extension of the canonical request: it answers, whatever they hold.

it('answers a request carrying every extension field', async () => {
  const ephemeral = { type: 'ephemeral' };
  const request = chatRequestSchema.parse({
    model: 'echo',
    messages: [
      { role: 'system', content: [{ type: 'text', text: 'S', cache_control: ephemeral }] },
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        thinking_blocks: [{ type: 'thinking', thinking: 'x', signature: 's' }],
      },
      {
        role: 'tool',
        tool_call_id: 't1',
        content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } }],
        cache_control: ephemeral,
      },
      { role: 'user', content: [{ type: 'text', text: 'and?', cache_control: ephemeral }] },
    ],
    tools: [{ type: 'function', function: { name: 'f' }, cache_control: ephemeral, defer_loading: true }],
    top_k: 1,
    thinking: { type: 'adaptive' },
    context_management: { edits: [] },
  });
  const call = { request, model: 'echo', requestId: 'r', signal: new AbortController().signal, betas: ['b-1'] };
  const result = await new EchoProvider('echo').complete(call);
  expect(result.content).toBe('Echo: and?');
  const parts = [];
  for await (const part of await new EchoProvider('echo').stream(call)) parts.push(part.type);
  expect(parts).toContain('finish');
});

it('names thinking_blocks sent back: it has no reasoning to take them', () => {
  const provider = new EchoProvider('echo');
  const turn = (blocks: unknown[]) =>
    chatRequestSchema.parse({
      model: 'echo',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: 'ok', thinking_blocks: blocks },
        { role: 'user', content: 'and?' },
      ],
    });
  expect(provider.ignoredFields(turn([{ type: 'openai_reasoning', id: 'rs_1', summary: [] }]))).toEqual([
    'thinking_blocks',
  ]);
  expect(provider.ignoredFields(turn([]))).toEqual([]);
});
