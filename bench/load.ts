import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises';
import type { Sample } from './client.js';

export interface LoadResult {
  readonly latenciesMs: number[];
  readonly ttftsMs: number[];
  /** Failed requests of every kind: answers that were not a complete 200, timeouts, requests never sent. */
  readonly errors: number;
  readonly timeouts: number;
  /** Fixed-rate runs: requests that were due while `maxInFlight` were in flight, and so were not sent. */
  readonly notSent: number;
  /** Distinct error messages and how often each occurred. */
  readonly errorKinds: ReadonlyMap<string, number>;
  /** Fixed-rate runs: how late each request was sent against its schedule (the client's own lag), ms. */
  readonly sendLagsMs: number[];
  /** From the first request to the end of the last one. */
  readonly elapsedMs: number;
}

/** Collects the samples of one run. */
class Tally {
  readonly latenciesMs: number[] = [];
  readonly ttftsMs: number[] = [];
  readonly sendLagsMs: number[] = [];
  readonly errorKinds = new Map<string, number>();
  errors = 0;
  timeouts = 0;
  notSent = 0;

  add(sample: Sample): void {
    if (sample.ok) {
      this.latenciesMs.push(sample.latencyMs);
      if (sample.ttftMs !== undefined) this.ttftsMs.push(sample.ttftMs);
      return;
    }
    if (sample.timedOut === true) this.timeouts++;
    this.error(sample.error);
  }

  error(message: string): void {
    this.errors++;
    this.errorKinds.set(message, (this.errorKinds.get(message) ?? 0) + 1);
  }

  result(started: bigint): LoadResult {
    const { latenciesMs, ttftsMs, errors, timeouts, notSent, errorKinds, sendLagsMs } = this;
    return {
      latenciesMs,
      ttftsMs,
      errors,
      timeouts,
      notSent,
      errorKinds,
      sendLagsMs,
      elapsedMs: Number(process.hrtime.bigint() - started) / 1e6,
    };
  }
}

export interface ConcurrencyOptions {
  readonly concurrency: number;
  /** Stop issuing requests after this long… */
  readonly durationMs: number;
  /** …or after this many, when set. */
  readonly requests?: number | undefined;
}

/**
 * Closed loop: `concurrency` clients, each sending its next request as soon as the previous one ends, until the
 * duration is over or the request budget is spent; requests in flight at the deadline are awaited and counted.
 */
export async function runConcurrency(issue: () => Promise<Sample>, options: ConcurrencyOptions): Promise<LoadResult> {
  const tally = new Tally();
  let issued = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(options.durationMs * 1e6));
  const more = (): boolean =>
    options.requests === undefined ? process.hrtime.bigint() < deadline : issued < options.requests;

  const client = async (): Promise<void> => {
    while (more()) {
      issued++;
      tally.add(await issue());
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  return tally.result(started);
}

export interface RateOptions {
  readonly perSecond: number;
  readonly durationMs: number;
  /** A request due while this many are in flight is not sent; it counts as an error. */
  readonly maxInFlight: number;
}

/** How many requests a fixed-rate run of `durationMs` at `perSecond` sends (at least one). */
export const plannedRequests = (perSecond: number, durationMs: number): number =>
  Math.max(1, Math.round((perSecond * durationMs) / 1000));

/** When request `index` (from 0) of a fixed-rate run is due, in ns after the run's start: evenly spaced. */
export const dueAtNs = (index: number, perSecond: number): bigint => BigInt(Math.round((index * 1e9) / perSecond));

/**
 * Open loop: request i is started at i / perSecond seconds after the start, whether or not earlier ones have been
 * answered (requests are never held back by slow answers, only by `maxInFlight`). The loop sleeps until the next
 * request is due and then sends everything due; each request's latency is timed from its actual send, and how late
 * that send was against the schedule is kept as the send lag. Requests in flight at the end are awaited (each
 * ends by its timeout at the latest).
 */
export async function runRate(issue: () => Promise<Sample>, options: RateOptions): Promise<LoadResult> {
  const tally = new Tally();
  const total = plannedRequests(options.perSecond, options.durationMs);
  const inFlight = new Set<Promise<void>>();
  const started = process.hrtime.bigint();
  let next = 0;
  while (next < total) {
    const now = process.hrtime.bigint() - started;
    for (
      let due = dueAtNs(next, options.perSecond);
      next < total && due <= now;
      due = dueAtNs(next, options.perSecond)
    ) {
      next++;
      if (inFlight.size >= options.maxInFlight) {
        tally.notSent++;
        tally.error(`not sent: ${options.maxInFlight} requests already in flight`);
        continue;
      }
      tally.sendLagsMs.push(Number(now - due) / 1e6);
      const request: Promise<void> = issue().then((sample) => {
        tally.add(sample);
        inFlight.delete(request);
      });
      inFlight.add(request);
    }
    if (next >= total) break;
    const waitMs = Number(dueAtNs(next, options.perSecond) - (process.hrtime.bigint() - started)) / 1e6;
    // Timers fire in whole milliseconds at best: sleep what fits, then turn the event loop until it is due.
    if (waitMs >= 1) await sleep(Math.floor(waitMs));
    else await yieldToLoop();
  }
  await Promise.all(inFlight);
  return tally.result(started);
}
