/**
 * The cold-start probe, bundled by the benchmark and run as `node <probe> <bundle>` in a fresh process per run:
 * provides the Lambda runtime's `awslambda` global (Middy's streaming mode calls it at import), imports the bundle,
 * checks that it exports `handler`, waits `BENCH_SETTLE_MS` so that calls started at import reach the benchmark's
 * recorder, and prints one JSON line: the import time and the time since the process started, in ms.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { installAwsLambdaShim } from '../../local/awslambda-shim.js';

const bundle = process.argv[2] ?? '';
installAwsLambdaShim();
const started = performance.now();
const loaded = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
const ready = performance.now();
await sleep(Number(process.env.BENCH_SETTLE_MS ?? 300));
process.stdout.write(
  `${JSON.stringify({ importMs: ready - started, readyMs: ready, handler: typeof loaded.handler })}\n`,
);
process.exit(0);
