import { alignTable } from './align-table.js';
import { AWS_PRICES, LAMBDA_PLATFORM_LOG_BYTES } from './aws-prices.js';
import { MEMORY_HEADROOM, type CostReport } from './aws-cost.js';
import { minus, POSITIONS, type Spread } from './aws-figures.js';
import type { AwsReport, AwsRow } from './aws-mode.js';

const fixed = (n: number | undefined, digits = 2): string => (n === undefined ? '-' : n.toFixed(digits));
const signed = (n: number | undefined): string => (n === undefined ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`);
const pair = (s: Spread | undefined, sign = false): string =>
  s === undefined ? '-' : `${(sign ? signed : fixed)(s.p50)} / ${(sign ? signed : fixed)(s.p95)}`;

const rowOf = (report: AwsReport, target: AwsRow['target'], mode: AwsRow['mode']): AwsRow | undefined =>
  report.rows.find((row) => row.target === target && row.mode === mode);

/** The latency table: per measure, direct's p50 / p95 and what sdk-floor and the gateway add over it. */
function latencyLines(report: AwsReport): string[] {
  const measures: [string, AwsRow['mode'], 'end' | 'ttft'][] = [
    ['JSON end', 'json', 'end'],
    ['stream TTFT', 'stream', 'ttft'],
    ['stream end', 'stream', 'end'],
  ];
  const cells = measures.flatMap(([label, mode, which]) => {
    const direct = rowOf(report, 'direct', mode);
    if (direct === undefined) return [];
    const added = (row: AwsRow | undefined): Spread | undefined =>
      which === 'end' ? row?.addedEndMs : row?.addedTtftMs;
    const floor = added(rowOf(report, 'sdk-floor', mode));
    const gateway = added(rowOf(report, 'gateway', mode));
    return [
      [
        label,
        pair(which === 'end' ? direct.endMs : direct.ttftMs),
        pair(floor, true),
        pair(gateway, true),
        pair(minus(gateway, floor), true),
      ],
    ];
  });
  return alignTable(
    ['ms, p50 / p95', 'direct', 'sdk-floor added', 'gateway added', 'gateway − sdk-floor'],
    cells,
    new Set([0]),
  );
}

const opsText = (counts: Readonly<Record<string, number>>): string => {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? '0' : entries.map(([op, n]) => `${op} ${n.toFixed(2)}`).join(', ');
};

/** Store calls per request by position, write and read units, and the process figures, per gateway row. */
function gatewayLines(report: AwsReport): string[] {
  const rows = report.rows.filter((row) => row.target === 'gateway' && row.store !== undefined);
  const store = alignTable(
    ['gateway', 'before 1st byte', 'before end', 'after end', 'WRU/req', 'RRU/req', 'after-end ms'],
    rows.map((row) => [
      row.mode,
      ...POSITIONS.map((position) => opsText(row.store?.byPosition[position] ?? {})),
      fixed(row.store?.writeUnitsPerRequest),
      fixed(row.store?.readUnitsPerRequest),
      fixed(row.store?.afterEndMs),
    ]),
    new Set([0, 1, 2, 3]),
  );
  const processes = alignTable(
    ['process', 'mode', 'CPU ms/req', 'log B/req (EMF + other)', 'log lines/req'],
    report.rows
      .filter((row) => row.target !== 'direct')
      .map((row) => [
        row.target,
        row.mode,
        fixed(row.cpuMsPerRequest, 3),
        row.logs === undefined
          ? '-'
          : `${row.logs.totalBytes.toFixed(0)} (${row.logs.emfBytes.toFixed(0)} + ${row.logs.otherBytes.toFixed(0)})`,
        row.logs === undefined ? '-' : (row.logs.emfLines + row.logs.otherLines).toFixed(2),
      ]),
    new Set([0, 1]),
  );
  return [...store, '', ...processes];
}

/** The cost table, dollars per million requests. */
export function costLines(cost: CostReport): string[] {
  const usd = (n: number): string => `$${n.toFixed(2)}`;
  return [
    ...alignTable(
      ['upstream', 'memory', 'billed ms', 'Lambda', 'API Gateway', 'DynamoDB', 'logs', 'total'],
      cost.lines.map((line) => [
        `${line.upstreamS} s`,
        `${line.memoryMb} MB${line.memoryMb === cost.configuredMemoryMb ? ' (configured)' : ' (measured)'}`,
        String(line.durationMs),
        usd(line.lambda),
        usd(line.apiGateway),
        usd(line.dynamo),
        usd(line.logs),
        usd(line.total),
      ]),
      new Set([0, 1]),
    ),
    '',
    `Per million requests, ${AWS_PRICES.region} list prices of ${AWS_PRICES.date} (bench/aws-prices.ts): Lambda arm64, API Gateway REST,`,
    `  DynamoDB on-demand (${fixed(cost.inputs.writeUnits)} WRU + ${fixed(cost.inputs.readUnits)} RRU per request), CloudWatch Logs ingestion`,
    `  (${cost.inputs.logBytes.toFixed(0)} B measured + ~${LAMBDA_PLATFORM_LOG_BYTES} B of Lambda's START/END/REPORT lines). EMF metrics cost per metric and month, not per request.`,
    `Billed ms = upstream + the gateway's added wall time (${fixed(cost.inputs.addedMs)} ms) with its CPU (${fixed(cost.inputs.cpuMsPerRequest, 3)} ms on a full core)`,
    `  stretched by Lambda's CPU share at that memory (1 vCPU at ${AWS_PRICES.lambdaMbPerVcpu} MB) + store time after the end (${fixed(cost.inputs.afterEndMs)} ms).`,
    `Measured memory: peak RSS ${cost.inputs.peakRssMiB.toFixed(0)} MiB × ${MEMORY_HEADROOM} headroom, in 64 MB steps.`,
  ];
}

/** The AWS mode's report as text. */
export function formatAwsReport(report: AwsReport): string {
  const m = report.machine;
  const s = report.settings;
  const errors = report.rows.flatMap((row) =>
    row.errors === 0 ? [] : [`errors in ${row.target} ${row.mode}: ${row.errors} (${row.errorKinds.join('; ')})`],
  );
  return [
    `LLM Gateway benchmark, AWS path — ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB; node ${m.node} (${m.platform}/${m.arch}); load average ${m.loadAverage.join(' ')} at the start, ${report.loadAverageEnd.join(' ')} at the end`,
    `settings: one request at a time, ${s.requests} per target and mode after ${s.warmupRequests}; store delay ${s.storeDelayMs} ms per DynamoDB call; upstream latency ${s.upstreamLatencyMs} ms; gateway with GATEWAY_LEDGER_JOURNAL=off`,
    '',
    ...latencyLines(report),
    '',
    ...gatewayLines(report),
    '',
    `peak RSS (VmHWM): sdk-floor ${fixed(report.peakRssMiB['sdk-floor'], 0)} MiB, gateway ${fixed(report.peakRssMiB.gateway, 0)} MiB (its store runs in the bench process)`,
    ...errors,
    'Store calls per request by where they arrived against the client: before its first byte, before its last, after the',
    '  end (the function still runs them: billed, not seen). WRU: write units from the items written (bench/write-units.ts).',
    ...(report.cost === undefined ? [] : ['', ...costLines(report.cost)]),
  ].join('\n');
}
