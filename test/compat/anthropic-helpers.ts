import { ignoredNames, upstreamCacheBreakpoints } from './expectations.js';
import type { CompatContext } from './harness.js';
import { CACHED_TOKENS, UPSTREAM_USAGE } from './smart-upstreams.js';

/** Shared by the Anthropic-format clients' compat files (anthropic-sdk, ai-sdk-anthropic, langchain-anthropic). */

/** The text blocks of a Message, joined. */
export const textOfMessage = (message: { readonly content: readonly { type: string }[] }): string =>
  message.content.map((block) => ('text' in block && typeof block.text === 'string' ? block.text : '')).join('');

/** Prompt tokens as a client reports them: all of them (cached ones included) and those read from the cache. */
export interface PromptCounts {
  readonly total: number;
  readonly cacheRead: number;
}

/** Anthropic's usage (`input_tokens` excludes cached tokens) as PromptCounts. */
export const anthropicPromptCounts = (usage: {
  readonly input_tokens: number;
  readonly cache_read_input_tokens?: number | null;
  readonly cache_creation_input_tokens?: number | null;
}): PromptCounts => ({
  total: usage.input_tokens + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0),
  cacheRead: usage.cache_read_input_tokens ?? 0,
});

/**
 * Two identical requests with `cache_control` breakpoints on /v1/messages (`breakpoints` of them). Anthropic backend:
 * they reach the upstream as sent, and the second answer's usage shows the upstream's cache reads. OpenAI backend
 * (no breakpoints in its API): dropped, named in X-Gateway-Ignored, and the usage is the upstream's (no cache reads
 * asked for, none reported).
 */
export function expectCachingThroughMessages(
  ctx: CompatContext,
  seen: {
    readonly ignored: string | null | undefined;
    readonly first: PromptCounts;
    readonly second: PromptCounts;
    readonly breakpoints: number;
  },
): void {
  expect(ctx.upstream.requests).toHaveLength(2);
  if (ctx.backend === 'anthropic') {
    expect(upstreamCacheBreakpoints(ctx)).toEqual(
      Array.from({ length: seen.breakpoints }, () => ({ type: 'ephemeral' })),
    );
    expect(ignoredNames(seen.ignored)).not.toContain('cache_control');
    expect(seen.first).toEqual({ total: UPSTREAM_USAGE.input, cacheRead: 0 });
    expect(seen.second).toEqual({ total: UPSTREAM_USAGE.input, cacheRead: CACHED_TOKENS });
  } else {
    expect(upstreamCacheBreakpoints(ctx)).toEqual([]);
    expect(ignoredNames(seen.ignored)).toContain('cache_control');
    expect(seen.first).toEqual({ total: UPSTREAM_USAGE.input, cacheRead: 0 });
    expect(seen.second).toEqual({ total: UPSTREAM_USAGE.input, cacheRead: 0 });
  }
}
