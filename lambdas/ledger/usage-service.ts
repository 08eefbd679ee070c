import type { AdminUsageView, UsageView } from '../api/usage-schemas.js';
import type { DayRange } from './usage-range.js';
import type { UsageRow } from './usage-reader.js';
import { matches, summarize, totalsView, type UsageFilter } from './usage-report.js';

/** Where usage comes from: a tenant's counter rows over a range, and the tenants there are. */
export interface UsageSource {
  rows(tenant: string, range: DayRange): Promise<UsageRow[]>;
  /** Every tenant, distinct, in order. */
  tenants(): Promise<string[]>;
  /** The labels of a tenant's keys, by key id (keys without labels may be absent). */
  keyLabels?(tenant: string): Promise<ReadonlyMap<string, Readonly<Record<string, string>>>>;
}

/** How many tenants' counters are read at once for an all-tenants report. */
export const TENANT_READ_CONCURRENCY = 8;

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}

const byKeyAliasModelDay = (a: UsageRow, b: UsageRow): number => {
  const left = `${a.keyId}\u0000${a.alias}\u0000${a.model}\u0000${a.day}`;
  const right = `${b.keyId}\u0000${b.alias}\u0000${b.model}\u0000${b.day}`;
  return left < right ? -1 : left > right ? 1 : 0;
};

/**
 * A tenant's counter rows (one per day, alias, key and upstream model) as the report lists them: by key, alias,
 * upstream model, then day.
 */
const detailRows = (tenant: string, rows: readonly UsageRow[]) =>
  [...rows].sort(byKeyAliasModelDay).map((row) => ({
    tenant,
    key_id: row.keyId,
    model: row.alias,
    upstream_model: row.model,
    day: row.day,
    ...totalsView(row),
  }));

/** One tenant's usage (GET /v1/usage). */
export async function tenantUsage(
  source: UsageSource,
  tenant: string,
  range: DayRange,
  filter: UsageFilter,
): Promise<UsageView> {
  const rows = (await source.rows(tenant, range)).filter((row) => matches(row, filter));
  const summary = summarize(rows);
  // Each key's labels (cost-centre and the like) beside its totals, as the key has them now.
  const labels = summary.by_key.length === 0 ? undefined : await source.keyLabels?.(tenant);
  const byKey = summary.by_key.map((entry) => {
    const own = labels?.get(entry.key_id);
    return own === undefined || Object.keys(own).length === 0 ? entry : { ...entry, labels: { ...own } };
  });
  return { object: 'usage', tenant, from: range.from, to: range.to, ...summary, by_key: byKey };
}

/**
 * Usage of one tenant or of every tenant (GET /admin/usage): the totals and breakdowns over all of them, then each
 * tenant's own. Asked for every tenant, only tenants with usage in the range are listed; asked for one, it is listed
 * even without usage.
 */
export async function adminUsage(
  source: UsageSource,
  tenant: string | undefined,
  range: DayRange,
  filter: UsageFilter,
  detail?: 'rows',
): Promise<AdminUsageView> {
  const names = tenant === undefined ? await source.tenants() : [tenant];
  const read = await mapBounded(names, TENANT_READ_CONCURRENCY, async (name) => ({
    tenant: name,
    rows: (await source.rows(name, range)).filter((row) => matches(row, filter)),
  }));
  const listed = tenant === undefined ? read.filter((entry) => entry.rows.length > 0) : read;
  return {
    object: 'usage',
    from: range.from,
    to: range.to,
    ...summarize(listed.flatMap((entry) => entry.rows)),
    tenants: listed.map((entry) => ({ tenant: entry.tenant, ...summarize(entry.rows) })),
    ...(detail === 'rows' ? { rows: listed.flatMap((entry) => detailRows(entry.tenant, entry.rows)) } : {}),
  };
}
