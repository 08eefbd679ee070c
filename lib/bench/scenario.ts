import type { BenchSettings } from './args.js';
import { timedRequest, type Target } from './client.js';
import { runLoad } from './load.js';
import { added, percentiles, type Percentiles } from './stats.js';

export type Via = 'direct' | 'gateway';
type Delta = Pick<Percentiles, 'p50' | 'p90' | 'p99'>;

export interface ScenarioResult {
  readonly name: string;
  readonly via: Via;
  readonly stream: boolean;
  /** Requests that completed in the measured window, errors included. */
  readonly requests: number;
  readonly errors: number;
  /** Successful requests per second. */
  readonly throughputRps: number;
  readonly latencyMs?: Percentiles;
  /** Streams: from sending the request to the arrival of the first content delta. */
  readonly ttftMs?: Percentiles;
  /** Gateway rows: gateway − direct, per percentile. */
  readonly addedLatencyMs?: Delta;
  readonly addedTtftMs?: Delta;
  readonly errorKinds: readonly { readonly message: string; readonly count: number }[];
  /** Every request sent, the probe and the warm-up included. */
  readonly issued?: number;
  /** Gateway rows: DynamoDB calls per request sent (all of them), and the calls per operation. */
  readonly storeCallsPerRequest?: number;
  readonly storeCalls?: Readonly<Record<string, number>>;
  /** Why the scenario could not run at all. */
  readonly failed?: string;
}

/** The request each client sends; the gateway gets the alias, the upstream the model behind it. */
export function requestBody(via: Via, stream: boolean): Buffer {
  return Buffer.from(
    JSON.stringify({
      model: via === 'gateway' ? 'bench' : 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
      max_tokens: 32,
      ...(stream ? { stream: true } : {}),
      // What a gateway asks upstream for its ledger; the direct run asks the same so the bytes compare.
      ...(stream && via === 'direct' ? { stream_options: { include_usage: true } } : {}),
    }),
  );
}

export const scenarioName = (via: Via, stream: boolean): string => `${via} ${stream ? 'stream' : 'json'}`;

export function failedScenario(via: Via, stream: boolean, reason: string): ScenarioResult {
  return { name: scenarioName(via, stream), via, stream, requests: 0, errors: 0, throughputRps: 0, errorKinds: [], failed: reason };
}

/** One probe request (a failure stops here), a warm-up, then the measured run at fixed concurrency. */
export async function measureScenario(via: Via, stream: boolean, target: Target, settings: BenchSettings): Promise<ScenarioResult> {
  const body = requestBody(via, stream);
  let issued = 0;
  const issue = () => {
    issued += 1;
    return timedRequest(target, body, stream);
  };
  const probe = await issue();
  if (!probe.ok) return failedScenario(via, stream, `the first request to ${target.url.href} failed: ${probe.error}`);
  if (settings.warmupS > 0) await runLoad(issue, { concurrency: settings.concurrency, durationMs: settings.warmupS * 1000 });
  const run = await runLoad(issue, {
    concurrency: settings.concurrency,
    durationMs: settings.durationS * 1000,
    requests: settings.requests,
  });
  const latencyMs = percentiles(run.latenciesMs);
  const ttftMs = stream ? percentiles(run.ttftsMs) : undefined;
  return {
    name: scenarioName(via, stream),
    via,
    stream,
    requests: run.latenciesMs.length + run.errors,
    errors: run.errors,
    throughputRps: run.latenciesMs.length / (run.elapsedMs / 1000),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    ...(ttftMs === undefined ? {} : { ttftMs }),
    errorKinds: [...run.errorKinds].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
    issued,
  };
}

/** The gateway row with the store calls it caused: `before` and `after` are the store's counters around the run. */
export function withStoreCalls(row: ScenarioResult, before: Record<string, number>, after: Record<string, number>): ScenarioResult {
  const calls: Record<string, number> = {};
  for (const [operation, count] of Object.entries(after)) {
    const delta = count - (before[operation] ?? 0);
    if (delta > 0) calls[operation] = delta;
  }
  const total = Object.values(calls).reduce((a, b) => a + b, 0);
  return row.issued === undefined || row.issued === 0 ? row : { ...row, storeCalls: calls, storeCallsPerRequest: total / row.issued };
}

/** The gateway row with what it adds over the direct row of the same mode. */
export function withAdded(gateway: ScenarioResult, direct: ScenarioResult | undefined): ScenarioResult {
  const latency = added(gateway.latencyMs, direct?.latencyMs);
  const ttft = added(gateway.ttftMs, direct?.ttftMs);
  return { ...gateway, ...(latency === undefined ? {} : { addedLatencyMs: latency }), ...(ttft === undefined ? {} : { addedTtftMs: ttft }) };
}
