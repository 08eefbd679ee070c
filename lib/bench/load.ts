import type { Sample } from './client.js';

export interface LoadOptions {
  readonly concurrency: number;
  /** Stop issuing requests after this long… */
  readonly durationMs: number;
  /** …or after this many, when set. */
  readonly requests?: number | undefined;
}

export interface LoadResult {
  readonly latenciesMs: number[];
  readonly ttftsMs: number[];
  readonly errors: number;
  /** Distinct error messages and how often each occurred. */
  readonly errorKinds: ReadonlyMap<string, number>;
  /** From the first request to the end of the last one. */
  readonly elapsedMs: number;
}

/**
 * `concurrency` clients, each sending its next request as soon as the previous one ends, until the duration is
 * over or the request budget is spent; requests in flight at the deadline are awaited and counted.
 */
export async function runLoad(issue: () => Promise<Sample>, options: LoadOptions): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const ttftsMs: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  let issued = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.durationMs * 1e6));
  const more = (): boolean =>
    options.requests === undefined ? process.hrtime.bigint() < deadline : issued < options.requests;

  const client = async (): Promise<void> => {
    while (more()) {
      issued++;
      const sample = await issue();
      if (sample.ok) {
        latenciesMs.push(sample.latencyMs);
        if (sample.ttftMs !== undefined) ttftsMs.push(sample.ttftMs);
      } else {
        errors++;
        errorKinds.set(sample.error, (errorKinds.get(sample.error) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return { latenciesMs, ttftsMs, errors, errorKinds, elapsedMs: Number(process.hrtime.bigint() - started) / 1e6 };
}
