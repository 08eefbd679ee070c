/**
 * The cold-start probe, bundled by the benchmark and run as `node <probe> <bundle>` in a fresh process per run:
 * provides the Lambda runtime's `awslambda` global (Middy's streaming mode calls it at import), imports the bundle,
 * checks that it exports `handler`, sends it the function's request twice (init-requests.ts; the first request pays
 * what init deferred), waits `BENCH_SETTLE_MS` so that calls started at import reach the benchmark's recorder, and
 * prints one JSON line: the import time, the time since the process started, the CPU time until then (what a loaded
 * machine does not inflate), each request's time, CPU time and status, in ms.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { installAwsLambdaShim, isStreamingHandler, type ResponsePrelude } from '../../local/awslambda-shim.js';
import { probeEvent } from './init-requests.js';

/** CPU time (user + system, all of the process's threads) in ms. */
const cpuMs = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;

type Buffered = (event: unknown, context: unknown) => Promise<{ statusCode?: number } | undefined>;

class Sink extends Writable {
  status: number | undefined;
  setPrelude(prelude: ResponsePrelude): void {
    this.status = prelude.statusCode;
  }
  override _write(_chunk: unknown, _encoding: string, done: () => void): void {
    done();
  }
}

const context = (index: number) => ({
  awsRequestId: `bench-${index}`,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'bench',
  getRemainingTimeInMillis: () => 10_000,
});

/**
 * One request: its time until the handler resolved (what Lambda bills: a streaming function's booking comes after
 * the response's end), until the response ended (what the client waits for; the same for a buffered function), its
 * CPU time, in ms, and the status the function answered.
 */
async function send(
  handler: unknown,
  index: number,
): Promise<{ ms: number; answeredMs: number; cpuMs: number; status: number | string } | undefined> {
  const event = probeEvent(process.env.BENCH_PROBE_REQUEST ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? '', index);
  if (event === undefined) return undefined;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let answered: number | undefined;
  const figures = (status: number | string) => {
    const ms = performance.now() - started;
    return { ms, answeredMs: answered ?? ms, cpuMs: cpuMs(process.cpuUsage(cpu)), status };
  };
  try {
    if (isStreamingHandler(handler)) {
      const sink = new Sink();
      const ended = new Promise<void>((resolve) => sink.on('finish', resolve).on('close', resolve)).then(() => {
        answered ??= performance.now() - started;
      });
      await handler(event, sink, context(index));
      await ended;
      return figures(sink.status ?? '?');
    }
    const result = await (handler as Buffered)(event, context(index));
    return figures(result?.statusCode ?? '?');
  } catch (err) {
    return figures(err instanceof Error ? err.name : 'thrown');
  }
}

const bundle = process.argv[2] ?? '';
installAwsLambdaShim();
const started = performance.now();
const loaded = (await import(pathToFileURL(bundle).href)) as { handler?: unknown };
const ready = performance.now();
const initCpuMs = cpuMs(process.cpuUsage());
const first = typeof loaded.handler === 'function' ? await send(loaded.handler, 1) : undefined;
const second = typeof loaded.handler === 'function' ? await send(loaded.handler, 2) : undefined;
await sleep(Number(process.env.BENCH_SETTLE_MS ?? 300));
process.stdout.write(
  `${JSON.stringify({ importMs: ready - started, readyMs: ready, initCpuMs, handler: typeof loaded.handler, first, second })}\n`,
);
process.exit(0);
