import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { toMessageCreateParams } from '../../../lambdas/providers/anthropic/anthropic-request.js';
import { betaHeaders } from '../../../lambdas/providers/anthropic/betas.js';
import { ignoredByAnthropic } from '../../../lambdas/providers/anthropic/ignored-fields.js';

// Issue 16's fields on an Anthropic target: cache breakpoints on the matching blocks, tools' hints, thinking,
// context_management, thinking blocks first, images and documents in tool results, betas as `anthropic-beta`.

const request = (fields: Record<string, unknown>): ChatRequest =>
  chatRequestSchema.parse({ model: 'claude', messages: [{ role: 'user', content: 'Hi' }], ...fields });
const translate = (fields: Record<string, unknown>) => toMessageCreateParams(request(fields), 'claude-x', 1024);
const ephemeral = { type: 'ephemeral' } as const;

describe('cache_control', () => {
  it('leading system messages become blocks, breakpoints in place, when any part carries one', () => {
    const params = translate({
      messages: [
        { role: 'system', content: 'Intro' },
        { role: 'system', content: [{ type: 'text', text: 'Rules', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(params.system).toEqual([
      { type: 'text', text: 'Intro' },
      { type: 'text', text: 'Rules', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
  });

  it('system messages without breakpoints are still joined into one string', () => {
    const params = translate({
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'A' }] },
        { role: 'user', content: 'Hi' },
      ],
    });
    expect(params.system).toBe('A');
  });

  it('on user text, image and file parts, on a tool message and on a tool', () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        { role: 'tool', tool_call_id: 't1', content: 'result', cache_control: ephemeral },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look', cache_control: ephemeral },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png' }, cache_control: ephemeral },
            {
              type: 'file',
              file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
              cache_control: ephemeral,
              citations: { enabled: true },
              context: 'ctx',
            },
          ],
        },
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
    });
    expect(params.messages[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 't1', content: 'result', cache_control: ephemeral },
        { type: 'text', text: 'look', cache_control: ephemeral },
        { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' }, cache_control: ephemeral },
        {
          type: 'document',
          source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' },
          title: 'a.pdf',
          context: 'ctx',
          citations: { enabled: true },
          cache_control: ephemeral,
        },
      ],
    });
    expect(params.tools).toEqual([
      {
        name: 'f',
        input_schema: { type: 'object', properties: {} },
        cache_control: ephemeral,
        defer_loading: true,
        eager_input_streaming: true,
      },
    ]);
  });
});

describe('thinking, context_management, service_tier, top_k', () => {
  it('passes thinking, context_management and an Anthropic service tier; effort next to them', () => {
    const context = { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] };
    const params = translate({
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: context,
      service_tier: 'standard_only',
      reasoning_effort: 'high',
    });
    expect(params).toMatchObject({
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: context,
      service_tier: 'standard_only',
      output_config: { effort: 'high' },
    });
  });

  it('the client’s thinking budget is sent as given, with reasoning_effort’s effort', () => {
    const params = translate({ thinking: { type: 'enabled', budget_tokens: 2048 }, reasoning_effort: 'low' });
    expect(params.thinking).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(params.output_config).toEqual({ effort: 'low' });
  });

  it('top_k (no sampling parameters in this API version) and OpenAI tiers are dropped and named', () => {
    const fields = { top_k: 5, service_tier: 'flex' };
    expect(translate(fields)).not.toHaveProperty('top_k');
    expect(translate(fields)).not.toHaveProperty('service_tier');
    expect(ignoredByAnthropic(request(fields))).toEqual(['service_tier', 'top_k']);
    expect(ignoredByAnthropic(request({ service_tier: 'auto', thinking: { type: 'disabled' } }))).toEqual([]);
  });
});

describe('thinking blocks and tool results', () => {
  it("OpenAI reasoning items in thinking_blocks are left out and named; Anthropic's own go as they are", () => {
    const fields = {
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: 'Done.',
          thinking_blocks: [
            { type: 'openai_reasoning', id: 'rs_1', summary: ['Plan.'], encrypted_content: 'gAAAA' },
            { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
          ],
        },
        { role: 'user', content: 'next' },
      ],
    };
    expect(translate(fields).messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
      { type: 'text', text: 'Done.' },
    ]);
    expect(ignoredByAnthropic(request(fields))).toEqual(['thinking_blocks[openai_reasoning]']);
  });

  it("an assistant's thinking_blocks come first, unchanged", () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: 'Reading.',
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'Read', arguments: '{"p":"a"}' } }],
          thinking_blocks: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
            { type: 'redacted_thinking', data: 'opaque' },
          ],
        },
        { role: 'tool', tool_call_id: 't1', content: 'ok' },
      ],
    });
    expect(params.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'text', text: 'Reading.' },
      { type: 'tool_use', id: 't1', name: 'Read', input: { p: 'a' } },
    ]);
  });

  it('a tool message with an image and a text file → tool_result blocks', () => {
    const params = translate({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        {
          role: 'tool',
          tool_call_id: 't1',
          content: [
            { type: 'text', text: 'screenshot:' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBO' } },
            { type: 'file', file: { file_data: `data:text/plain;base64,${Buffer.from('log').toString('base64')}` } },
          ],
        },
      ],
    });
    expect(params.messages[2]?.content).toEqual([
      {
        type: 'tool_result',
        tool_use_id: 't1',
        content: [
          { type: 'text', text: 'screenshot:' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBO' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'log' } },
        ],
      },
    ]);
  });
});

describe('anthropic-beta', () => {
  it("the client's betas, and context_management's own when not named", () => {
    expect(betaHeaders({ betas: ['a-1', 'b-2'] }, request({}))).toEqual({ 'anthropic-beta': 'a-1,b-2' });
    expect(betaHeaders({}, request({}))).toEqual({});
    expect(betaHeaders({ betas: ['a-1'] }, request({ context_management: { edits: [] } }))).toEqual({
      'anthropic-beta': 'a-1,context-management-2025-06-27',
    });
    expect(
      betaHeaders({ betas: ['context-management-2025-06-27'] }, request({ context_management: { edits: [] } })),
    ).toEqual({ 'anthropic-beta': 'context-management-2025-06-27' });
  });
});

describe('sampling at its default', () => {
  it('temperature 1 and top_p 1 (Claude Code sends temperature: 1) are dropped and named, not refused', () => {
    const fields = { temperature: 1, top_p: 1 };
    const params = translate(fields);
    expect(params).not.toHaveProperty('temperature');
    expect(params).not.toHaveProperty('top_p');
    expect(ignoredByAnthropic(request(fields))).toEqual(['temperature', 'top_p']);
    expect(() => translate({ temperature: 0.99 })).toThrow(/temperature is not supported/);
  });
});
