import type { AdminUsageView, UsageTotalsView } from '../lambdas/api/usage-schemas.js';
import type { UsageBreakdown } from './args.js';
import { table, type Align } from './table.js';

/** An integer with thousands separators: 1,234,567. */
export const count = (value: number): string => value.toLocaleString('en-US');

/** Micro-dollars as dollars, exactly: at least 2 and up to 6 decimals (1,200 µ$ → 0.0012; 1,500,000 µ$ → 1.50). */
export function usd(micros: number): string {
  const fraction = String(micros % 1_000_000)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${count(Math.floor(micros / 1_000_000))}.${fraction}`;
}

const TOTAL_COLUMNS = ['REQUESTS', 'INPUT', 'OUTPUT', 'CACHED', 'CACHE WRITE', 'ERRORS', 'COST (USD)'];

const totalCells = (totals: UsageTotalsView): string[] => [
  count(totals.requests),
  count(totals.input_tokens),
  count(totals.output_tokens),
  count(totals.cached_tokens),
  count(totals.cache_write_tokens),
  count(totals.errors),
  usd(totals.cost_micros),
];

/** The label columns of each breakdown and its rows: labels, then totals. */
function breakdown(
  usage: AdminUsageView,
  by: UsageBreakdown,
): { labels: string[]; rows: [string[], UsageTotalsView][] } {
  switch (by) {
    case 'day':
      return { labels: ['DAY'], rows: usage.by_day.map((row) => [[row.day], row]) };
    case 'model':
      return { labels: ['MODEL'], rows: usage.by_model.map((row) => [[row.model], row]) };
    case 'key':
      return {
        labels: ['KEY', 'TENANT'],
        rows: usage.tenants.flatMap((tenant) =>
          tenant.by_key.map((row): [string[], UsageTotalsView] => [[row.key_id, tenant.tenant], row]),
        ),
      };
    case 'tenant':
      return { labels: ['TENANT'], rows: usage.tenants.map((tenant) => [[tenant.tenant], tenant.totals]) };
    case 'plan':
      return { labels: ['PLAN'], rows: usage.by_plan.map((row) => [[row.plan], row]) };
  }
}

const CACHE_COLUMNS = ['CACHE HITS', 'MISSES', 'HIT RATE', 'SAVED (USD)'];

const cacheCells = (totals: UsageTotalsView): string[] => [
  count(totals.cache_hits),
  count(totals.cache_misses),
  `${(totals.cache_hit_rate * 100).toFixed(1)}%`,
  usd(totals.saved_micros),
];

/** The response cache's table (same rows), only when some request came under a cache. */
function cacheTable(labels: string[], rows: [string[], UsageTotalsView][], totals: UsageTotalsView): string[] {
  if (totals.cache_hits + totals.cache_misses === 0) return [];
  const blanks = labels.slice(1).map(() => '');
  const align: Align[] = [...labels.map((): Align => 'left'), ...CACHE_COLUMNS.map((): Align => 'right')];
  const body = table(
    [...labels, ...CACHE_COLUMNS],
    [...rows.map(([cells, row]) => [...cells, ...cacheCells(row)]), ['TOTAL', ...blanks, ...cacheCells(totals)]],
    align,
  );
  return ['', "Response cache (hits cost nothing; saved: their cost at the day's price):", '', body.trimEnd()];
}

/**
 * The usage answer as a table: a row per day, model, key or tenant, then a TOTAL line; tokens and requests with
 * thousands separators, costs in USD; notes when some requests are estimated or not priced.
 */
export function formatUsage(usage: AdminUsageView, by: UsageBreakdown, tenant?: string): string {
  const scope = tenant === undefined ? 'all tenants' : `tenant ${tenant}`;
  const title = `Usage of ${scope}, ${usage.from} to ${usage.to} (UTC)`;
  const { labels, rows } = breakdown(usage, by);
  if (rows.length === 0) return `${title}: none.\n`;
  const blanks = labels.slice(1).map(() => '');
  const align: Align[] = [...labels.map((): Align => 'left'), ...TOTAL_COLUMNS.map((): Align => 'right')];
  const body = table(
    [...labels, ...TOTAL_COLUMNS],
    [
      ...rows.map(([cells, totals]) => [...cells, ...totalCells(totals)]),
      ['TOTAL', ...blanks, ...totalCells(usage.totals)],
    ],
    align,
  );
  const notes: string[] = [];
  const { estimated_requests: estimated, unpriced_requests: unpriced } = usage.totals;
  if (estimated > 0)
    notes.push(`${count(estimated)} request(s) had no usage from the provider: their tokens are estimated.`);
  if (unpriced > 0) notes.push(`${count(unpriced)} request(s) used a model without a price: they are not in the cost.`);
  const { stored_responses: stored, stored_bytes: bytes, stored_write_units: units } = usage.totals;
  if (stored > 0) {
    notes.push(
      `${count(stored)} stored response(s): ${count(bytes)} bytes, ${count(units)} DynamoDB write units ` +
        `(estimated: $1.25 per million writes, $0.25 per GB-month stored; not in the cost).`,
    );
  }
  const cache = cacheTable(labels, rows, usage.totals);
  return (
    [`${title}, by ${by}:`, '', body.trimEnd(), ...cache, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n') + '\n'
  );
}
