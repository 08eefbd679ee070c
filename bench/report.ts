import { loadName } from './args.js';
import type { BundleColdStart, ColdStartReport } from './cold-start.js';
import type { BenchReport } from './run.js';
import type { RowResult } from './scenario.js';
import { alignTable } from './align-table.js';

const ms = (n: number | undefined): string => (n === undefined ? '-' : n.toFixed(2));
const signed = (n: number | undefined): string => (n === undefined ? '-' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}`);
const fixed = (n: number | undefined, digits: number): string => (n === undefined ? '-' : n.toFixed(digits));

/** Send lag p99 beyond which a fixed-rate row is flagged: the client itself could not keep to the schedule. */
const LAGGED_MS = 5;

const LOAD_COLUMNS = [
  'target',
  'mode',
  'load',
  'req/s',
  'errors',
  'p50 ms',
  'p90 ms',
  'p99 ms',
  'added p50',
  'added p90',
  'added p99',
  'TTFT p50',
  'added TTFT p50',
  'added TTFT p99',
  'send lag p99',
  'RSS MiB',
  'CPU ms/req',
  'store calls/req',
];

function loadCells(row: RowResult): string[] {
  const head = [row.target, row.mode, loadName(row.load)];
  if (row.failed !== undefined) return [...head, 'FAILED', ...LOAD_COLUMNS.slice(4).map(() => '-')];
  return [
    ...head,
    row.throughputRps.toFixed(1),
    String(row.errors),
    ms(row.latencyMs?.p50),
    ms(row.latencyMs?.p90),
    ms(row.latencyMs?.p99),
    signed(row.addedLatencyMs?.p50),
    signed(row.addedLatencyMs?.p90),
    signed(row.addedLatencyMs?.p99),
    ms(row.ttftMs?.p50),
    signed(row.addedTtftMs?.p50),
    signed(row.addedTtftMs?.p99),
    ms(row.sendLagMs?.p99),
    fixed(row.peakRssMiB, 0),
    fixed(row.cpuMsPerRequest, 3),
    fixed(row.storeCallsPerRequest, 2),
  ];
}

/** The load comparison as text: machine, settings, one line per row, then failures, error kinds and memory peaks. */
export function formatLoadTable(report: Omit<BenchReport, 'coldStart'>): string {
  const m = report.machine;
  const s = report.settings;
  const out = [
    `LLM Gateway benchmark — ${report.date}`,
    `machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB; node ${m.node} (${m.platform}/${m.arch}); load average ${m.loadAverage.join(' ')} at the start, ${report.loadAverageEnd.join(' ')} at the end`,
    `settings: upstream latency ${s.upstreamLatencyMs} ms; ${s.requests === undefined ? `${s.durationS} s` : `${s.requests} requests (fixed concurrency)`} per row after ${s.warmupS} s warm-up; timeout ${s.timeoutS} s; at most ${s.maxInFlight} in flight at fixed rates`,
    '',
    ...alignTable(LOAD_COLUMNS, report.rows.map(loadCells), new Set([0, 1, 2])),
    '',
    'Latency: from sending the request (process.hrtime.bigint) to its last byte; TTFT: to the first content delta.',
    'Fixed rates are open loop: requests start on schedule whatever the answers; latency is timed from the actual send,',
    '  and "send lag" is how late the client sent against the schedule. req/s: successful answers per second.',
    '"added" = the row − direct at the same mode, load and percentile. RSS: highest resident memory of the target',
    '  process during the row (direct: the fake upstream); CPU: its user + system time per request.',
  ];
  const lagged = report.rows.filter((row) => (row.sendLagMs?.p99 ?? 0) > LAGGED_MS).map((row) => row.name);
  if (lagged.length > 0) {
    out.push(
      `the client sent more than ${LAGGED_MS} ms late at p99 in: ${lagged.join(', ')} — the machine was busy (a saturated target, or other work); read their tails with care.`,
    );
  }
  for (const row of report.rows) {
    if (row.storeCalls !== undefined)
      out.push(
        `store calls in ${row.name}: ${Object.entries(row.storeCalls)
          .map(([op, n]) => `${op} ${n}`)
          .join(', ')}`,
      );
  }
  for (const row of report.rows) {
    if (row.failed !== undefined) out.push(`FAILED ${row.name}: ${row.failed}`);
    for (const kind of row.errorKinds.slice(0, 3)) out.push(`errors in ${row.name}: ${kind.count} × ${kind.message}`);
  }
  out.push(
    `peak RSS (VmHWM) over the whole run: ${report.processes.map((p) => `${p.name} ${fixed(p.peakRssMiB, 0)} MiB`).join('; ')}`,
  );
  return out.join('\n');
}

const kib = (bytes: number | undefined): string => (bytes === undefined ? '-' : (bytes / 1024).toFixed(0));
const calls = (row: BundleColdStart): string => {
  const entries = Object.entries(row.callsAtInit);
  return entries.length === 0 ? 'none' : entries.map(([op, n]) => `${op} ×${Number(n.toFixed(2))}`).join(', ');
};

const COLD_COLUMNS = [
  'bundle',
  'init KiB',
  'all KiB (files)',
  'deflated KiB',
  'map KiB',
  'cache',
  'import ms',
  'ready ms',
  'ready min–max',
  '× hello',
  '× floor',
  'init CPU ms',
  '1st req ms',
  '1st answered ms',
  '2nd req ms',
  '1st / 2nd CPU ms',
  'status',
  'AWS calls (per run)',
];

const total = (row: BundleColdStart): string =>
  row.size === undefined ? '-' : `${kib(row.size.totalBytes)} (${row.size.files})`;

function coldCells(row: BundleColdStart): string[] {
  if (row.failed !== undefined && row.readyMs === undefined)
    return [
      row.name,
      kib(row.size?.bytes),
      total(row),
      kib(row.size?.deflatedBytes),
      kib(row.size?.mapBytes),
      row.compileCache ? 'yes' : 'no',
      'FAILED',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      '-',
      calls(row),
    ];
  return [
    row.name,
    kib(row.size?.bytes),
    total(row),
    kib(row.size?.deflatedBytes),
    kib(row.size?.mapBytes),
    row.compileCache ? 'yes' : 'no',
    ms(row.importMs?.median),
    ms(row.readyMs?.median),
    row.readyMs === undefined ? '-' : `${row.readyMs.min.toFixed(1)}–${row.readyMs.max.toFixed(1)}`,
    row.readyVsHello === undefined ? '-' : `${row.readyVsHello.toFixed(2)}×`,
    row.readyVsFloor === undefined ? '-' : `${row.readyVsFloor.toFixed(2)}×`,
    ms(row.initCpuMs?.median),
    ms(row.firstMs?.median),
    ms(row.firstAnsweredMs?.median),
    ms(row.secondMs?.median),
    row.firstCpuMs === undefined ? '-' : `${ms(row.firstCpuMs.median)} / ${ms(row.secondCpuMs?.median)}`,
    row.status ?? '-',
    calls(row),
  ];
}

/** The cold-start figures as text. */
export function formatColdStartTable(report: ColdStartReport): string {
  const out = [
    `Cold start: each bundle built as the stack builds it (lib/function-bundle.ts; cache: with the V8 compile cache it builds),`,
    `then started ${report.runs} times in a fresh \`node\` ${report.node} with the functions' environment (medians). import: from the`,
    'dynamic import of the bundle until `handler` is exported; ready: from the process start to then; init CPU: the',
    "process's CPU time until then (all threads); 1st/2nd req: the function's request (bench/processes/init-requests.ts)",
    'right after init, twice, until the handler resolved (billed: a streaming answer is booked after its end); 1st',
    'answered: until the first response ended (what the client waits for); status: what it answered. KiB: what Node',
    'reads at init (index.mjs and the chunks it imports statically); all: every .mjs file (the other chunks load on',
    'their first import); deflated and map: all files.',
    '',
    ...alignTable(
      COLD_COLUMNS,
      [report.hello, report.floor, ...report.functions].map(coldCells),
      new Set([0, COLD_COLUMNS.length - 1]),
    ),
    '',
    'sdk-floor: only what the product prescribes for the chat function (openai, @anthropic-ai/sdk, Powertools Logger and',
    "  Metrics, the DynamoDB and Secrets Manager clients, Middy), one instance each and no gateway code: chat's floor;",
    '  one file, as NodejsFunction bundles by default; sdk-floor+cache: the same built as the functions are (split into',
    '  chunks, compile cache, node:http/https as CommonJS).',
    "chat (openai), chat (anthropic): chat's bundle again, its two requests to an alias whose one target is an",
    '  openai-compatible (resp. anthropic) provider at a fake upstream (bench/cold-upstreams.ts), its key in the secret.',
    'status: with each count when they differ; a request without the status its row expects (init-requests.ts) is',
    '  counted there and not timed.',
    `AWS calls: every AWS endpoint (AWS_ENDPOINT_URL) pointed at a recorder during the import, the requests and ${report.settleMs} ms after.`,
    `Control (a bundle that calls DescribeTable and GetSecretValue at import): ${calls(report.control)} — ${report.control.recorderSeesCalls ? 'the recorder sees such calls' : 'NOT SEEN: the call figures above are not to be trusted'}.`,
  ];
  // Once per bundle: the provider rows of chat run its bundle again.
  const listed = new Set<string>();
  for (const row of report.functions) {
    const largest = row.size?.largest.map((part) => `${part.source} ${kib(part.bytes)}`).join(', ');
    if (largest === undefined || listed.has(largest)) continue;
    listed.add(largest);
    out.push(`largest at ${row.name}'s init: ${largest} (KiB)`);
  }
  for (const row of [report.hello, report.floor, report.control, ...report.functions]) {
    if (row.failed !== undefined) out.push(`FAILED ${row.name}: ${row.failed}`);
  }
  return out.join('\n');
}

/** The results as JSON, non-integer figures rounded to the microsecond (3 decimals). */
export function toJson(report: object): string {
  return JSON.stringify(
    report,
    (_key, value: unknown) =>
      typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value,
    2,
  );
}
