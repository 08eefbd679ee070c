/**
 * `npm run bench`: latency and throughput of the gateway against a fake OpenAI upstream with fixed latency, next to
 * the same load sent straight to the fake. Prints a table and JSON (also written to .bench/results.json). Exit code
 * 1 when a scenario could not run (for example the gateway's chat endpoint is missing), 2 on bad flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBenchArgs, USAGE, UsageError, type BenchSettings } from '../lib/bench/args.js';
import { killChildrenNow, repoRoot } from '../lib/bench/children.js';
import { runCleanupsNow } from '../lib/bench/cleanup.js';
import { formatTable, toJson } from '../lib/bench/report.js';
import { runBench } from '../lib/bench/run.js';

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
  const report = await runBench(settings, progress);
  const json = toJson(report);
  const dir = join(repoRoot, '.bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), `${json}\n`);
  if (!settings.jsonOnly) process.stdout.write(`\n${formatTable(report)}\n\nJSON (also in .bench/results.json):\n`);
  process.stdout.write(`${json}\n`);
  process.exitCode = report.scenarios.some((row) => row.failed !== undefined) ? 1 : 0;
} catch (err) {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
