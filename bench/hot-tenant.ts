import { parseArgs } from 'node:util';
import { alignTable } from './align-table.js';
import { LEDGER_GSI_SHARDS } from '../lambdas/ledger/ledger-shards.js';
import { simulateHotTenant, type HotTenantResult } from './hot-tenant-sim.js';
import { machine, type Machine } from './run.js';

export interface HotTenantReport {
  readonly date: string;
  readonly machine: Machine;
  readonly runs: readonly HotTenantResult[];
}

/** The flags of `npm run bench -- --hot-tenant …`. */
export function parseHotTenantArgs(argv: readonly string[]): {
  rate: number;
  seconds: number;
  upstreamMs: number;
  shards: number;
  streamShards: number;
  jsonOnly: boolean;
} {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'hot-tenant': { type: 'boolean' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      'upstream-ms': { type: 'string' },
      shards: { type: 'string' },
      'stream-shards': { type: 'string' },
      'json-only': { type: 'boolean' },
    },
  });
  const num = (value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got ${String(value)}`);
    return n;
  };
  return {
    rate: num(values.rate, 5_000),
    seconds: num(values.seconds, 5),
    upstreamMs: num(values['upstream-ms'], 2_000),
    shards: num(values.shards, LEDGER_GSI_SHARDS),
    streamShards: num(values['stream-shards'], 8),
    jsonOnly: values['json-only'] === true,
  };
}

/** The sharded run, then the control with everything on one partition (unless --shards 1 asked for it alone). */
export async function runHotTenant(
  argv: readonly string[],
  progress: (line: string) => void,
): Promise<HotTenantReport> {
  const { jsonOnly: _json, shards, ...load } = parseHotTenantArgs(argv);
  const runs: HotTenantResult[] = [];
  for (const layout of shards === 1 ? [1] : [shards, 1])
    runs.push(await simulateHotTenant({ ...load, shards: layout, progress }));
  return { date: new Date().toISOString(), machine: machine(), runs };
}

export function formatHotTenant(report: HotTenantReport): string {
  const m = report.machine;
  const head = [
    `One hot tenant (simulated, injected clock) — ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, load ${m.loadAverage.join(' ')}, node ${m.node}`,
  ];
  const rows = report.runs.map((r) => [
    r.options.shards === 1 ? '1 (before)' : String(r.options.shards),
    `${r.options.rate}/s × ${r.options.seconds} s, ${r.options.upstreamMs} ms`,
    String(r.instances),
    String(r.requests),
    String(r.failed),
    String(r.requestPath.throttled),
    String(r.requestPath.cancelled),
    String(r.aggregators.throttled),
    String(r.aggregators.cancelled),
    `${r.busiest.units} ${r.busiest.partition}`,
    `${r.totals.ok && r.totals.records === r.booked ? 'ok' : 'MISMATCH'} (${r.totals.records}/${r.booked} records, ${r.totals.counterRequests} counted, quota ${r.totals.quotaUsedTokens}/${r.totals.recordTokens} tokens)`,
  ]);
  const header = [
    'shards',
    'load',
    'instances',
    'requests',
    'failed',
    'throttled (request path)',
    'cancelled (request path)',
    'throttled (aggregators)',
    'cancelled (aggregators)',
    'busiest partition WCU/s',
    'totals vs records',
  ];
  const top = (counts: Readonly<Record<string, number>>): string =>
    Object.entries(counts)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([name, n]) => `${name.split('\u0000').join(' ')} ×${n}`)
      .join(', ') || 'none';
  const where = report.runs.flatMap((r) => [
    `shards ${r.options.shards}: throttled partitions ${top(r.throttledBy)}; conflicts on ${top(r.conflictsOn)}`,
  ]);
  return [...head, '', ...alignTable(header, rows, new Set([0, 1, 9, 10])), '', ...where].join('\n');
}
