import type { CompletionUsage } from 'openai/resources/completions';
import { toUsage as anthropicUsage } from '../../lambdas/providers/anthropic/usage.js';
import { toUsage as openaiUsage } from '../../lambdas/providers/openai/openai-response.js';

// Providers' usage mapping (issue 14, item 14): a count left out or null is never NaN, null or a throw downstream; it
// is 0 and named `unreported`, which metering estimates (test/usage/estimate.test.ts).
describe('a provider usage with counts missing', () => {
  it('OpenAI: completion_tokens absent or null, prompt_tokens null', () => {
    const absent = { prompt_tokens: 8, total_tokens: 8 } as unknown as CompletionUsage;
    expect(openaiUsage(absent)).toEqual({
      inputTokens: 8,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      unreported: ['outputTokens'],
    });
    const nulls = { prompt_tokens: null, completion_tokens: null, total_tokens: null } as unknown as CompletionUsage;
    expect(openaiUsage(nulls)).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      unreported: ['inputTokens', 'outputTokens'],
    });
    expect(openaiUsage({ prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 })).toEqual({
      inputTokens: 8,
      outputTokens: 2,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
    });
  });

  it('Anthropic: output_tokens null, input_tokens absent (cache counts kept)', () => {
    expect(anthropicUsage({ input_tokens: 5, output_tokens: null })).toEqual({
      inputTokens: 5,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      unreported: ['outputTokens'],
    });
    expect(anthropicUsage({ output_tokens: 3, cache_read_input_tokens: 4 })).toEqual({
      inputTokens: 0,
      outputTokens: 3,
      cachedInputTokens: 4,
      cacheWriteTokens: 0,
      unreported: ['inputTokens'],
    });
  });
});
