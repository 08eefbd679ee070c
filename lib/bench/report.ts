import type { BenchReport } from './run.js';
import type { ScenarioResult } from './scenario.js';
import { round2, type Percentiles } from './stats.js';

const ms = (n: number | undefined): string => (n === undefined ? '-' : n.toFixed(2));
const signed = (n: number | undefined): string => (n === undefined ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`);

const COLUMNS = ['scenario', 'requests', 'errors', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'added p50', 'added p90', 'added p99', 'TTFT p50', 'TTFT p99', 'added TTFT p50', 'added TTFT p99', 'store calls/req'];

function cells(row: ScenarioResult): string[] {
  if (row.failed !== undefined) return [row.name, 'FAILED', ...COLUMNS.slice(2).map(() => '-')];
  return [
    row.name,
    String(row.requests),
    String(row.errors),
    row.throughputRps.toFixed(1),
    ms(row.latencyMs?.p50),
    ms(row.latencyMs?.p90),
    ms(row.latencyMs?.p99),
    signed(row.addedLatencyMs?.p50),
    signed(row.addedLatencyMs?.p90),
    signed(row.addedLatencyMs?.p99),
    ms(row.ttftMs?.p50),
    ms(row.ttftMs?.p99),
    signed(row.addedTtftMs?.p50),
    signed(row.addedTtftMs?.p99),
    row.storeCallsPerRequest === undefined ? '-' : row.storeCallsPerRequest.toFixed(2),
  ];
}

/** The results as an aligned text table, with the machine, the settings, failures and error kinds. */
export function formatTable(report: BenchReport): string {
  const rows = [COLUMNS, ...report.scenarios.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const m = report.machine;
  const s = report.settings;
  const out = [
    `LLM Gateway benchmark — ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, load ${m.loadAverage1m}; node ${m.node} (${m.platform}/${m.arch})`,
    `settings: ${s.concurrency} clients, ${s.requests === undefined ? `${s.durationS} s` : `${s.requests} requests`} per scenario after ${s.warmupS} s warm-up; upstream latency ${s.upstreamLatencyMs} ms`,
    '',
    line(rows[0] ?? []),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.slice(1).map(line),
    '',
    'Latencies in ms, timed per request by the client (process.hrtime.bigint): to the last byte; TTFT to the first content delta.',
    '"added" = gateway − direct at the same percentile.',
    'store calls/req: DynamoDB calls the gateway made per request sent (quota reservation + ledger transaction), per operation:',
  ];
  for (const row of report.scenarios) {
    if (row.storeCalls !== undefined) out.push(`  ${row.name}: ${Object.entries(row.storeCalls).map(([op, n]) => `${op} ${n}`).join(', ')}`);
  }
  for (const row of report.scenarios) {
    if (row.failed !== undefined) out.push(`FAILED ${row.name}: ${row.failed}`);
    for (const kind of row.errorKinds.slice(0, 5)) out.push(`errors in ${row.name}: ${kind.count} × ${kind.message}`);
  }
  return out.join('\n');
}

const rounded = <T extends Partial<Percentiles>>(p: T | undefined): T | undefined =>
  p === undefined ? undefined : (Object.fromEntries(Object.entries(p).map(([k, v]) => [k, typeof v === 'number' ? round2(v) : v])) as T);

/** The results as JSON, figures rounded to 2 decimals. */
export function toJson(report: BenchReport): string {
  return JSON.stringify(
    {
      ...report,
      scenarios: report.scenarios.map((row) => ({
        ...row,
        throughputRps: round2(row.throughputRps),
        latencyMs: rounded(row.latencyMs),
        ttftMs: rounded(row.ttftMs),
        addedLatencyMs: rounded(row.addedLatencyMs),
        addedTtftMs: rounded(row.addedTtftMs),
        ...(row.storeCallsPerRequest === undefined ? {} : { storeCallsPerRequest: round2(row.storeCallsPerRequest) }),
      })),
    },
    null,
    2,
  );
}
