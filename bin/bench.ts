/**
 * `npm run bench`: the side-by-side comparison on one fake OpenAI upstream — direct, a minimal Node pass-through
 * proxy, this gateway (auth, quotas and ledger on) and Portkey's open-source gateway — JSON and stream, at fixed
 * concurrency and at fixed request rates; then the cold start of every function bundle. Prints tables and writes
 * JSON to .bench/results.json (--json-only prints the JSON instead). Exit code 1 when a row of this project's own
 * targets (direct, pass-through, gateway) or a function's cold start could not run — Portkey's failures are
 * reported, not fatal — 2 on bad flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHotTenant, parseBenchArgs, USAGE, UsageError, type BenchSettings } from '../bench/args.js';
import { formatHotTenant, runHotTenant } from '../bench/hot-tenant.js';
import { killChildrenNow, repoRoot } from '../bench/children.js';
import { runCleanupsNow } from '../bench/cleanup.js';
import { measureColdStart } from '../bench/cold-start.js';
import { formatColdStartTable, formatLoadTable, toJson } from '../bench/report.js';
import { machine, runLoadComparison, type BenchReport } from '../bench/run.js';
import { formatSoakTable, runSoak } from '../bench/soak.js';
import { runAwsMode } from '../bench/aws-mode.js';
import { formatAwsReport } from '../bench/aws-report.js';

function settingsOrExit(): BenchSettings {
  try {
    const settings = parseBenchArgs(process.argv.slice(2));
    if (settings === undefined) {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    return settings;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${err.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
}

if (isHotTenant(process.argv.slice(2))) {
  const report = await runHotTenant(process.argv.slice(2), (line) => process.stderr.write(`· ${line}\n`));
  process.stdout.write(`${formatHotTenant(report)}\n`);
  process.exit(report.runs.every((run) => run.totals.ok && run.totals.records === run.booked) ? 0 : 1);
}
const settings = settingsOrExit();
const abandon = (signal: NodeJS.Signals): void => {
  process.stderr.write(`${signal}: stopping the child processes\n`);
  killChildrenNow();
  runCleanupsNow();
  process.exit(130);
};
process.on('SIGINT', abandon);
process.on('SIGTERM', abandon);
process.on('exit', () => {
  killChildrenNow();
  runCleanupsNow();
});

try {
  const progress = settings.jsonOnly ? () => undefined : (line: string) => process.stderr.write(`· ${line}\n`);
  if (settings.aws) {
    const aws = await runAwsMode(settings, progress);
    const json = toJson({ aws });
    const dir = join(repoRoot, '.bench');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'results.json'), `${json}\n`);
    process.stdout.write(settings.jsonOnly ? `${json}\n` : `\n${formatAwsReport(aws)}\n\nJSON: .bench/results.json\n`);
    process.exitCode = aws.rows.some((row) => row.errors > 0 || row.requests === 0) ? 1 : 0;
  } else await runComparison();
} catch (err) {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}

/** The load comparison, the cold start and the soak, as the flags ask. */
async function runComparison(): Promise<void> {
  const progress = settings.jsonOnly ? () => undefined : (line: string) => process.stderr.write(`· ${line}\n`);
  const loadReport = settings.load ? await runLoadComparison(settings, progress) : undefined;
  const coldStart = settings.coldStart ? await measureColdStart(settings.initRuns, progress) : undefined;
  const soak = settings.soakS === undefined ? undefined : await runSoak(settings, progress);
  const report: Partial<BenchReport> = {
    ...(loadReport ?? { date: new Date().toISOString(), machine: machine() }),
    ...(coldStart === undefined ? {} : { coldStart }),
    ...(soak === undefined ? {} : { soak }),
  };
  const json = toJson(report);
  const dir = join(repoRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${json}\n`);
  if (!settings.jsonOnly) {
    const tables = [
      loadReport === undefined ? undefined : formatLoadTable(loadReport),
      coldStart === undefined ? undefined : formatColdStartTable(coldStart),
      soak === undefined ? undefined : formatSoakTable(soak),
    ];
    process.stdout.write(`\n${tables.filter((t) => t !== undefined).join('\n\n')}\n\nJSON: .bench/results.json\n`);
  } else {
    process.stdout.write(`${json}\n`);
  }
  const rowFailed = loadReport?.rows.some((row) => row.failed !== undefined && row.target !== 'portkey') ?? false;
  const coldFailed =
    coldStart !== undefined &&
    ([coldStart.hello, ...coldStart.functions].some((row) => row.failed !== undefined) ||
      !coldStart.control.recorderSeesCalls);
  const soakFailed = soak !== undefined && soak.intervals.some((interval) => interval.errors > 0);
  process.exitCode = rowFailed || coldFailed || soakFailed ? 1 : 0;
}
