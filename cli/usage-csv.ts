import type { AdminUsageView } from '../lambdas/api/usage-schemas.js';

/** The columns of `llm-gateway usage --format csv`, in order. */
export const CSV_COLUMNS = [
  'tenant',
  'key_id',
  'alias',
  'model',
  'day',
  'requests',
  'input_tokens',
  'output_tokens',
  'cached_tokens',
  'cost_usd',
] as const;

/** One field, RFC 4180: quoted (quotes doubled) when it holds a comma, a quote, CR or LF. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Micro-dollars as a plain decimal with 6 places (no thousands separators, no float rounding): 1500 → 0.001500. */
export const csvUsd = (micros: number): string =>
  `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;

/**
 * The usage rows (GET /admin/usage?detail=rows) as CSV, RFC 4180: a header line, one record per tenant, key, model
 * alias, upstream model (the one that answered: a fallback's targets are rows apart) and UTC day, then a column per
 * label the keys carry, CRLF line ends.
 */
export function formatUsageCsv(usage: AdminUsageView): string {
  // A counter without requests holds only stored-response counts (storage notes), none of these columns.
  const rows = (usage.rows ?? []).filter((row) => row.requests > 0);
  // The keys' labels as columns `label:<name>`, in name order; empty where a key has no such label.
  const names = [...new Set(rows.flatMap((row) => Object.keys(row.labels ?? {})))].sort();
  const records = rows.map((row) => [
    row.tenant,
    row.key_id,
    row.model,
    row.upstream_model,
    row.day,
    String(row.requests),
    String(row.input_tokens),
    String(row.output_tokens),
    String(row.cached_tokens),
    csvUsd(row.cost_micros),
    ...names.map((name) => row.labels?.[name] ?? ''),
  ]);
  return [[...CSV_COLUMNS, ...names.map((name) => `label:${name}`)], ...records]
    .map((fields) => `${fields.map(csvField).join(',')}\r\n`)
    .join('');
}
