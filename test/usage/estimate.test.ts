import type { ChatRequest } from '../../lambdas/api/chat-schemas.js';
import type { Usage } from '../../lambdas/providers/types.js';
import {
  estimateInputTokens,
  estimateOutputTokens,
  estimateUsage,
  meterUsage,
  producedOf,
  textTokens,
} from '../../lambdas/usage/estimate.js';

const request = (r: Partial<ChatRequest>): ChatRequest => ({
  model: 'demo',
  messages: [{ role: 'user', content: 'Hi' }],
  ...r,
});

describe('usage estimate (provider reported none)', () => {
  it('text: ceil(characters / 4), characters as code points', () => {
    expect(textTokens('')).toBe(0);
    expect(textTokens('abc')).toBe(1);
    expect(textTokens('abcd')).toBe(1);
    expect(textTokens('abcde')).toBe(2);
    expect(textTokens('😀😀😀😀😀')).toBe(2); // 5 code points (10 UTF-16 units)
  });

  it('input: 3 for the reply + per message 4 + its text', () => {
    const chat = request({
      messages: [
        { role: 'system', content: 'You are helpful.' }, // 16 chars → 4
        { role: 'user', content: 'Hello there!' }, // 12 chars → 3
      ],
    });
    expect(estimateInputTokens(chat)).toBe(3 + (4 + 4) + (4 + 3));
  });

  it('input: text parts, images, names, assistant tool calls, tool results, tools', () => {
    const tools: ChatRequest['tools'] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } },
    ];
    const chat = request({
      messages: [
        {
          role: 'user',
          name: 'ann', // 1
          content: [
            { type: 'text', text: 'What is this?' }, // 13 → 4
            { type: 'image_url', image_url: { url: 'https://x/a.png', detail: 'low' } }, // 85
            { type: 'image_url', image_url: { url: 'https://x/b.png' } }, // 765
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          ],
        }, // name 11 → 3, arguments 16 → 4, +3
        { role: 'tool', tool_call_id: 'call_1', content: '{"temp":21}' }, // 11 → 3
      ],
      tools,
    });
    const toolsJson = JSON.stringify(tools);
    expect(estimateInputTokens(chat)).toBe(
      3 + (4 + 1 + 4 + 85 + 765) + (4 + 3 + 4 + 3) + (4 + 3) + Math.ceil(toolsJson.length / 4),
    );
  });

  it('output: produced text, refusal and tool calls', () => {
    expect(estimateOutputTokens({ text: 'Hi! How can I help?', toolCalls: [] })).toBe(5); // 19 chars
    expect(
      estimateOutputTokens({ text: '', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] }),
    ).toBe(3 + 4 + 3);
    expect(estimateOutputTokens(producedOf({ content: null, refusal: 'No.', toolCalls: [] }))).toBe(1);
    expect(estimateOutputTokens({ text: '', toolCalls: [] })).toBe(0);
  });

  it('is marked as estimated, with no cache tokens', () => {
    const chat = request({ messages: [{ role: 'user', content: 'Hello there!' }] });
    expect(estimateUsage(chat, { text: 'Hi! How can I help?', toolCalls: [] })).toEqual({
      usage: { inputTokens: 3 + 4 + 3, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 },
      estimated: true,
    });
  });

  it('meterUsage keeps a reported usage, else estimates', () => {
    const reported = { inputTokens: 9, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 };
    const chat = request({});
    expect(meterUsage(reported, chat, { text: 'x', toolCalls: [] })).toEqual({ usage: reported, estimated: false });
    expect(meterUsage(undefined, chat, { text: 'x', toolCalls: [] })).toEqual({
      usage: { inputTokens: 3 + 4 + 1, outputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0 },
      estimated: true,
    });
  });

  it("meterUsage keeps the provider's reasoning count (the Responses usage shows it)", () => {
    const reported = {
      inputTokens: 9,
      outputTokens: 20,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 12,
    };
    expect(meterUsage(reported, request({}), { text: 'x', toolCalls: [] }).usage.reasoningTokens).toBe(12);
  });

  it('meterUsage estimates each count the provider left out or sent as no count, and marks the usage estimated', () => {
    const chat = request({});
    const produced = { text: 'x'.repeat(8), toolCalls: [] };
    const unreported = {
      inputTokens: 9,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      unreported: ['outputTokens' as const],
    };
    expect(meterUsage(unreported, chat, produced)).toEqual({
      usage: { inputTokens: 9, outputTokens: 2, cachedInputTokens: 0, cacheWriteTokens: 0 },
      estimated: true,
    });
    // What an untyped provider mapping could hand over: null, undefined, negative, fractional counts.
    const nonsense = {
      inputTokens: null,
      outputTokens: undefined,
      cachedInputTokens: -1,
      cacheWriteTokens: 0.5,
      cacheWrite1hTokens: null,
    } as unknown as Usage;
    expect(meterUsage(nonsense, chat, produced)).toEqual({
      usage: {
        inputTokens: 3 + 4 + 1,
        outputTokens: 2,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
      },
      estimated: true,
    });
  });
});
