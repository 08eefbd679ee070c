import type { ContentBlock } from '@anthropic-ai/sdk/resources/messages';
import { toChatResult } from '../../../lambdas/providers/anthropic/anthropic-response.js';
import { toFinishReason } from '../../../lambdas/providers/anthropic/stop-reason.js';
import { mergeUsage, toUsage } from '../../../lambdas/providers/anthropic/usage.js';
import { message, textBlock, toolUseBlock, usage } from '../../fakes/fake-anthropic.js';

describe('Anthropic response translation', () => {
  it('concatenates text blocks and keeps thinking blocks as reasoning, signature untouched', () => {
    const thinking: ContentBlock = { type: 'thinking', thinking: 'Let me think.', signature: 'sig' };
    const result = toChatResult(message([thinking, textBlock('Bonjour, '), textBlock('le monde 🌍')]));
    expect(result).toEqual({
      content: 'Bonjour, le monde 🌍',
      refusal: null,
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 0, cacheWriteTokens: 0 },
      reasoning: [{ type: 'thinking', thinking: 'Let me think.', signature: 'sig' }],
    });
  });

  it('turns tool_use blocks into tool calls with JSON arguments, content null without text', () => {
    const result = toChatResult(
      message(
        [
          toolUseBlock({ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }),
          toolUseBlock({ id: 'toolu_2', name: 'now', input: {} }),
        ],
        { stopReason: 'tool_use' },
      ),
    );
    expect(result.content).toBeNull();
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'toolu_2', name: 'now', arguments: '{}' },
    ]);
  });

  it('reports a refusal with its explanation as content_filter', () => {
    const refused = {
      ...message([textBlock('')], { stopReason: 'refusal' }),
      stop_details: {
        type: 'refusal' as const,
        category: 'cyber' as const,
        explanation: 'This looks like malware development.',
      },
    };
    const result = toChatResult(refused);
    expect(result.finishReason).toBe('content_filter');
    expect(result.refusal).toBe('This looks like malware development.');
  });

  it('counts cached input tokens into the input total', () => {
    const result = toChatResult(
      message([textBlock('ok')], { usage: usage({ input: 10, output: 7, cacheWrite: 200, cacheRead: 3000 }) }),
    );
    expect(result.usage).toEqual({
      inputTokens: 3210,
      outputTokens: 7,
      cachedInputTokens: 3000,
      cacheWriteTokens: 200,
    });
  });
});

describe('Anthropic stop reasons', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['some_future_reason', 'stop'],
    [null, 'stop'],
  ])('%s → %s', (reason, expected) => {
    expect(toFinishReason(reason)).toBe(expected);
  });
});

describe('Anthropic usage', () => {
  it('treats null or absent cache counts as zero', () => {
    expect(toUsage({ input_tokens: 5, output_tokens: 2, cache_creation_input_tokens: null })).toEqual({
      inputTokens: 5,
      outputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('merges cumulative stream usage: later non-null values win, nulls keep the earlier value', () => {
    const start = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 20, cache_read_input_tokens: 30 };
    const delta = {
      input_tokens: null,
      output_tokens: 42,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: 31,
    };
    expect(toUsage(mergeUsage(start, delta))).toEqual({
      inputTokens: 61,
      outputTokens: 42,
      cachedInputTokens: 31,
      cacheWriteTokens: 20,
    });
  });
});
