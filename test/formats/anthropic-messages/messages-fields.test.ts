import { chatRequestSchema, type ChatRequest } from '../../../lambdas/api/chat-schemas.js';
import { messagesRequestSchema } from '../../../lambdas/api/messages-schemas.js';
import { GatewayError } from '../../../lambdas/core/errors.js';
import { toChatRequest } from '../../../lambdas/formats/anthropic-messages/messages-request.js';
import { hostedOfMessages } from '../../../lambdas/formats/anthropic-messages/messages-hosted.js';
import { firstIssue } from '../../../lambdas/middleware/json-body.js';

// Issue 16's /v1/messages fields (what Claude Code and today's SDKs send) → the canonical request (LiteLLM's
// extension fields): each at the same place, the result a valid canonical request; bad shapes a 400 naming the field.

const base = { model: 'target', max_tokens: 256 };
const ephemeral = { type: 'ephemeral' } as const;
const PDF = 'JVBERi0xLjQK';

function translate(body: Record<string, unknown>): ChatRequest {
  const request = toChatRequest(messagesRequestSchema.parse({ ...base, ...body }));
  expect(chatRequestSchema.safeParse(request).error).toBeUndefined();
  return request;
}

function rejection(body: Record<string, unknown>): GatewayError {
  try {
    translate(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a 400');
}

/** The `param` of the 400 the route answers (json-body's naming of the first issue). */
const refusedAt = (body: Record<string, unknown>): string | null | undefined => {
  const parsed = messagesRequestSchema.safeParse({ ...base, messages: [{ role: 'user', content: 'x' }], ...body });
  expect(parsed.success).toBe(false);
  return parsed.error === undefined ? undefined : firstIssue(parsed.error).param;
};

describe('cache_control breakpoints stay where they were', () => {
  it('on system blocks, user text, image and document blocks, a tool_result and a tool', () => {
    const request = translate({
      system: [
        { type: 'text', text: 'You are a CLI.' },
        { type: 'text', text: 'Long instructions', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
      tools: [{ name: 'Read', input_schema: { type: 'object' }, cache_control: ephemeral }],
      messages: [
        { role: 'user', content: 'read a.txt' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { path: 'a.txt' } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 't1', content: 'hello', cache_control: ephemeral },
            { type: 'image', source: { type: 'url', url: 'https://x.test/a.png' }, cache_control: ephemeral },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: PDF },
              cache_control: ephemeral,
            },
            { type: 'text', text: 'and now?', cache_control: ephemeral },
          ],
        },
      ],
    });
    expect(request.messages[0]).toEqual({
      role: 'system',
      content: [
        { type: 'text', text: 'You are a CLI.' },
        { type: 'text', text: 'Long instructions', cache_control: { type: 'ephemeral', ttl: '1h' } },
      ],
    });
    expect(request.messages[3]).toEqual({
      role: 'tool',
      tool_call_id: 't1',
      content: 'hello',
      cache_control: ephemeral,
    });
    expect(request.messages[4]).toEqual({
      role: 'user',
      content: [
        { type: 'image_url', image_url: { url: 'https://x.test/a.png' }, cache_control: ephemeral },
        { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}` }, cache_control: ephemeral },
        { type: 'text', text: 'and now?', cache_control: ephemeral },
      ],
    });
    expect(request.tools?.[0]).toMatchObject({
      type: 'function',
      function: { name: 'Read' },
      cache_control: ephemeral,
    });
  });

  it('`cache_control: null` is no breakpoint', () => {
    const request = translate({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: null }] }],
    });
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'x' }] }]);
  });
});

describe('request fields', () => {
  it('top_k, thinking, context_management, service_tier as they are; output_config.effort → reasoning_effort', () => {
    const context = { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] };
    const request = translate({
      messages: [{ role: 'user', content: 'x' }],
      top_k: 40,
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: context,
      service_tier: 'standard_only',
      output_config: { effort: 'high' },
      metadata: { user_id: 'u'.repeat(512) },
    });
    expect(request).toMatchObject({
      top_k: 40,
      thinking: { type: 'adaptive', display: 'omitted' },
      context_management: context,
      service_tier: 'standard_only',
      reasoning_effort: 'high',
      user: 'u'.repeat(512),
    });
  });

  it.each([
    ['low', 'low'],
    ['medium', 'medium'],
    ['xhigh', 'xhigh'],
    ['max', 'xhigh'],
  ])('output_config.effort %s → reasoning_effort %s (next to format)', (effort, expected) => {
    const request = translate({
      messages: [{ role: 'user', content: 'x' }],
      output_config: { effort, format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    expect(request.reasoning_effort).toBe(expected);
    expect(request.response_format?.type).toBe('json_schema');
  });

  it('thinking enabled with a budget and disabled', () => {
    expect(
      translate({ messages: [{ role: 'user', content: 'x' }], thinking: { type: 'enabled', budget_tokens: 2048 } })
        .thinking,
    ).toEqual({ type: 'enabled', budget_tokens: 2048 });
    expect(translate({ messages: [{ role: 'user', content: 'x' }], thinking: { type: 'disabled' } }).thinking).toEqual({
      type: 'disabled',
    });
  });

  it("an assistant's thinking and redacted_thinking blocks → thinking_blocks, signatures as sent", () => {
    const request = translate({
      messages: [
        { role: 'user', content: 'x' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
            { type: 'redacted_thinking', data: 'opaque' },
            { type: 'tool_use', id: 't1', name: 'Read', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }] },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [{ id: 't1', type: 'function', function: { name: 'Read', arguments: '{}' } }],
      thinking_blocks: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig-abc' },
        { type: 'redacted_thinking', data: 'opaque' },
      ],
    });
  });

  it('tools keep defer_loading and eager_input_streaming', () => {
    const request = translate({
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ name: 'Later', input_schema: { type: 'object' }, defer_loading: true, eager_input_streaming: true }],
    });
    expect(request.tools?.[0]).toMatchObject({ defer_loading: true, eager_input_streaming: true });
  });
});

describe('documents → file parts', () => {
  const doc = (source: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    messages: [{ role: 'user', content: [{ type: 'document', source, ...extra }] }],
  });
  const textUrl = (text: string) => `data:text/plain;base64,${Buffer.from(text).toString('base64')}`;

  it('a base64 PDF with title, context and citations', () => {
    const request = translate(
      doc(
        { type: 'base64', media_type: 'application/pdf', data: PDF },
        { title: 'Spec', context: 'From the wiki', citations: { enabled: true } },
      ),
    );
    expect(request.messages[0]?.content).toEqual([
      {
        type: 'file',
        file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'Spec' },
        context: 'From the wiki',
        citations: { enabled: true },
      },
    ]);
  });

  it('plain text and content blocks → a text/plain data URL', () => {
    expect(translate(doc({ type: 'text', media_type: 'text/plain', data: 'héllo' })).messages[0]?.content).toEqual([
      { type: 'file', file: { file_data: textUrl('héllo') } },
    ]);
    const blocks = doc({
      type: 'content',
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
    });
    expect(translate(blocks).messages[0]?.content).toEqual([{ type: 'file', file: { file_data: textUrl('a\n\nb') } }]);
  });

  it('a PDF by URL is a 400 naming its source', () => {
    expect(rejection(doc({ type: 'url', url: 'https://x.test/a.pdf' }))).toMatchObject({
      status: 400,
      code: 'unsupported_content',
      param: 'messages[0].content[0].source',
    });
  });

  it('tool_result content with a document', () => {
    const request = translate({
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'log' } }],
            },
          ],
        },
      ],
    });
    expect(request.messages[0]).toEqual({
      role: 'tool',
      tool_call_id: 't1',
      content: [{ type: 'file', file: { file_data: textUrl('log') } }],
    });
  });
});

describe('refused', () => {
  it('a server tool is no canonical tool: collected as a required hosted tool (Anthropic targets run it)', () => {
    const body = {
      model: 'm',
      max_tokens: 8,
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        { name: 'Read', input_schema: { type: 'object' } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 8 },
      ],
      tool_choice: { type: 'tool', name: 'web_search' },
    };
    const request = messagesRequestSchema.parse(body);
    const chat = toChatRequest(request);
    expect(chat.tools?.map((tool) => tool.function.name)).toEqual(['Read']);
    expect(chat.tool_choice).toBeUndefined();
    expect(hostedOfMessages(request)).toEqual({
      format: 'messages',
      tools: [{ type: 'web_search_20250305', spec: body.tools[1], required: true }],
      forced: 'web_search_20250305',
    });
  });

  it.each([
    ['thinking budget under 1024', { thinking: { type: 'enabled', budget_tokens: 1000 } }, 'thinking.budget_tokens'],
    ['thinking of an unknown type', { thinking: { type: 'sometimes' } }, 'thinking.type'],
    ['adaptive display unknown', { thinking: { type: 'adaptive', display: 'full' } }, 'thinking.display'],
    ['negative top_k', { top_k: -1 }, 'top_k'],
    ['fractional top_k', { top_k: 1.5 }, 'top_k'],
    ['an unknown effort', { output_config: { effort: 'ultra' } }, 'output_config.effort'],
    ['an OpenAI service tier', { service_tier: 'priority' }, 'service_tier'],
    ['context_management not an object', { context_management: 'all' }, 'context_management'],
    ['a user_id over 512 characters', { metadata: { user_id: 'u'.repeat(513) } }, 'metadata.user_id'],
    [
      'a cache_control of another type',
      { messages: [{ role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'persistent' } }] }] },
      'messages[0].content[0].cache_control.type',
    ],
    [
      'a cache_control ttl of 2h',
      { system: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral', ttl: '2h' } }] },
      'system[0].cache_control.ttl',
    ],
    [
      'an unknown document field',
      {
        messages: [
          {
            role: 'user',
            content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'x' }, pages: 2 }],
          },
        ],
      },
      'messages[0].content[0]',
    ],
    [
      'a thinking block without signature',
      {
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'x' }] },
        ],
      },
      'messages[1].content[0].signature',
    ],
    [
      'defer_loading not a boolean',
      { tools: [{ name: 'f', input_schema: { type: 'object' }, defer_loading: 'yes' }] },
      'tools[0].defer_loading',
    ],
  ])('%s → 400 naming it', (_name, body, param) => {
    expect(refusedAt(body)).toBe(param);
  });
});
