import type { Usage } from '../providers/types.js';

/** The counts a provider may leave out (or send as null): the gateway estimates them (estimate.ts). */
type UsageCount = 'inputTokens' | 'outputTokens';

/** A token count as a provider sent it: a non-negative safe integer, else undefined (absent, null, or nonsense). */
export function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Usage from a provider's counts, where `input` and `output` may be missing: a missing one is 0 here and named in
 * `unreported`, for metering to estimate (and mark the entry estimated) instead of booking 0 or failing on it.
 */
export function reportedUsage(
  counts: { input: unknown; output: unknown; cached?: unknown; cacheWrite?: unknown },
  extra: Pick<Usage, 'cacheWrite1hTokens' | 'reasoningTokens' | 'webSearches'> = {},
): Usage {
  const input = tokenCount(counts.input);
  const output = tokenCount(counts.output);
  const unreported: UsageCount[] = [
    ...(input === undefined ? ['inputTokens' as const] : []),
    ...(output === undefined ? ['outputTokens' as const] : []),
  ];
  return {
    inputTokens: input ?? 0,
    outputTokens: output ?? 0,
    cachedInputTokens: tokenCount(counts.cached) ?? 0,
    cacheWriteTokens: tokenCount(counts.cacheWrite) ?? 0,
    ...extra,
    ...(unreported.length === 0 ? {} : { unreported }),
  };
}
