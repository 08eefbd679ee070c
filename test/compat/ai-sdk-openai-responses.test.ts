import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { aiSdkScenarios } from './ai-sdk-scenarios.js';
import { ignoredNames } from './expectations.js';
import { compatSuite, openAIBacked, type CompatContext } from './harness.js';
import * as input from './inputs.js';
import { CACHED_TOKENS } from './smart-upstreams.js';

// AI SDK @ai-sdk/openai with its defaults (apiKey → Authorization: Bearer) and its default model factory `openai(id)`:
// the Responses API (POST /v1/responses), translated to each backend.
const model = (ctx: CompatContext) => createOpenAI({ baseURL: ctx.baseURL, apiKey: ctx.key })(ctx.model);

compatSuite(
  'ai-sdk-openai-responses',
  aiSdkScenarios(model, async (ctx) => {
    // @ai-sdk/openai has `promptCacheKey`; it has no per-part cache_control.
    const ask = () =>
      generateText({
        model: model(ctx),
        system: input.CACHE_PREFIX,
        prompt: input.cachePrompt('ai-sdk-openai-responses'),
        providerOptions: { openai: { promptCacheKey: 'compat-ai-sdk-openai-responses' } },
      });
    const first = await ask();
    const second = await ask();
    const sent = ctx.lastUpstreamBody();
    if (openAIBacked(ctx)) {
      expect(sent.prompt_cache_key).toBe('compat-ai-sdk-openai-responses');
      expect(first.usage.inputTokenDetails.cacheReadTokens ?? 0).toBe(0);
      expect(second.usage.inputTokenDetails.cacheReadTokens).toBe(CACHED_TOKENS);
    } else {
      // Anthropic has no cache key: dropped and named; without cache_control nothing is cached.
      expect(sent.prompt_cache_key).toBeUndefined();
      expect(ignoredNames(second.response.headers?.['x-gateway-ignored'])).toContain('prompt_cache_key');
      expect(second.usage.inputTokenDetails.cacheReadTokens ?? 0).toBe(0);
    }
  }),
);
