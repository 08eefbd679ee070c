import type { UsageSummaryView, UsageTotalsView } from '../api/usage-schemas.js';
import { WRITE_USD_PER_MILLION_UNITS } from './storage-note.js';
import { addTotals, zeroTotals, type UsageRow, type UsageTotals } from './usage-reader.js';

/** Rows to keep: one model alias, one key, or both. */
export interface UsageFilter {
  readonly model?: string | undefined;
  readonly keyId?: string | undefined;
}

export const matches = (row: UsageRow, filter: UsageFilter): boolean =>
  (filter.model === undefined || row.alias === filter.model) &&
  (filter.keyId === undefined || row.keyId === filter.keyId);

/** Totals in the API's shape: snake_case, the cost in micro-dollars and in dollars. */
export const totalsView = (totals: UsageTotals): UsageTotalsView => ({
  requests: totals.requests,
  input_tokens: totals.inputTokens,
  output_tokens: totals.outputTokens,
  cached_tokens: totals.cachedTokens,
  cache_write_tokens: totals.cacheWriteTokens,
  cost_usd: totals.costMicros / 1_000_000,
  cost_micros: totals.costMicros,
  estimated_requests: totals.estimatedRequests,
  unpriced_requests: totals.unpricedRequests,
  errors: totals.errors,
  cache_hits: totals.cacheHits,
  cache_misses: totals.cacheMisses,
  cache_hit_rate:
    totals.cacheHits + totals.cacheMisses === 0 ? 0 : totals.cacheHits / (totals.cacheHits + totals.cacheMisses),
  saved_usd: totals.savedMicros / 1_000_000,
  saved_micros: totals.savedMicros,
  stored_responses: totals.storedResponses,
  stored_bytes: totals.storedBytes,
  stored_write_units: totals.storedWriteUnits,
  stored_write_usd_estimate: (totals.storedWriteUnits * WRITE_USD_PER_MILLION_UNITS) / 1_000_000,
});

/** Sums of `rows` grouped by `keyOf`, in key order. */
function groupBy(rows: readonly UsageRow[], keyOf: (row: UsageRow) => string): [string, UsageTotals][] {
  const groups = new Map<string, UsageTotals>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, addTotals(groups.get(key) ?? zeroTotals(), row));
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Counter rows (one per day, model alias and key) summed: the totals, and the sums by day, by model, by key and by plan, each
 * listing only what has usage, in order.
 */
export function summarize(rows: readonly UsageRow[]): UsageSummaryView {
  return {
    totals: totalsView(rows.reduce<UsageTotals>(addTotals, zeroTotals())),
    by_day: groupBy(rows, (row) => row.day).map(([day, totals]) => ({ day, ...totalsView(totals) })),
    by_model: groupBy(rows, (row) => row.alias).map(([model, totals]) => ({ model, ...totalsView(totals) })),
    by_key: groupBy(rows, (row) => row.keyId).map(([key_id, totals]) => ({ key_id, ...totalsView(totals) })),
    by_plan: groupBy(rows, (row) => row.plan).map(([plan, totals]) => ({ plan, ...totalsView(totals) })),
  };
}
