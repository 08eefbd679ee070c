import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText } from 'ai';
import { aiSdkScenarios } from './ai-sdk-scenarios.js';
import { ignoredNames, upstreamCacheBreakpoints } from './expectations.js';
import { compatSuite, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { CACHED_TOKENS } from './smart-upstreams.js';

// AI SDK @ai-sdk/openai-compatible with its defaults (apiKey → Authorization: Bearer), as apps point it at any
// OpenAI-compatible server; `includeUsage` is its documented switch for usage in streams.
const PROVIDER = 'gateway';
const model = (ctx: CompatContext) =>
  createOpenAICompatible({ name: PROVIDER, baseURL: ctx.baseURL, apiKey: ctx.key, includeUsage: true }).chatModel(
    ctx.model,
  );

compatSuite(
  'ai-sdk-openai-compatible',
  aiSdkScenarios(model, async (ctx) => {
    // Provider options under the provider's name go into the body as sent (prompt_cache_key); a part's
    // `openaiCompatible` options go into that content part (cache_control, LiteLLM style).
    const ask = () =>
      generateText({
        model: model(ctx),
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'text',
                text: input.CACHE_PREFIX,
                providerOptions: { openaiCompatible: { cache_control: { type: 'ephemeral' } } },
              },
              { type: 'text', text: input.cachePrompt('ai-sdk-openai-compatible') },
            ],
          },
        ],
        providerOptions: { [PROVIDER]: { prompt_cache_key: 'compat-ai-sdk-openai-compatible' } },
      });
    const first = await ask();
    const second = await ask();
    const sent = ctx.lastUpstreamBody();
    const ignored = ignoredNames(second.response.headers?.['x-gateway-ignored']);
    if (ctx.backend === 'openai') {
      expect(sent.prompt_cache_key).toBe('compat-ai-sdk-openai-compatible');
      expect(upstreamCacheBreakpoints(ctx)).toEqual([]);
      expect(ignored).toContain('cache_control');
    } else {
      expect(sent.prompt_cache_key).toBeUndefined();
      expect(ignored).toContain('prompt_cache_key');
      expect(upstreamCacheBreakpoints(ctx)).toEqual([{ type: 'ephemeral' }]);
    }
    expect(first.usage.inputTokenDetails.cacheReadTokens ?? 0).toBe(0);
    expect(second.usage.inputTokenDetails.cacheReadTokens).toBe(CACHED_TOKENS);
  }),
);
