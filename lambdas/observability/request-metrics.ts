import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import { logger } from '../core/logger.js';
import { metricsDisabled, publishDocument } from './emf-metrics.js';
import type { Usage } from '../providers/types.js';

/** The Provider dimension of a request that no target served (rejected before upstream, or every attempt failed early). */
export const NO_PROVIDER = 'none';

/** What one finished request reports; published once, at the end (for streams: when the stream has ended). */
export interface RequestMetricsRecord {
  /**
   * The model alias from the configuration. It becomes a dimension: pass only configured aliases (a client's unknown
   * model name would create a metric series per typo, each billed); use e.g. 'unknown' for the rest.
   */
  readonly model: string;
  /** The provider that served the request, or NO_PROVIDER. */
  readonly provider: string;
  readonly plan: string;
  readonly tenant: string;
  readonly keyId: string;
  readonly requestId: string;
  /**
   * The request's status: the HTTP status sent to the client, except for a stream that failed after its 200 — then
   * the status of the error event it ended with (502 upstream_stream_truncated, 504 request_deadline_exceeded, …);
   * a stream its client left keeps 200 (see streamError).
   */
  readonly status: number;
  readonly latencyMs: number;
  /** Streams only: from the request's start to the first content byte sent. */
  readonly timeToFirstTokenMs?: number | undefined;
  /** Absent when no upstream produced usage (e.g. rejected before upstream): no token metrics are emitted then. */
  readonly usage?: Usage | undefined;
  /** Integer micro-dollars (lambdas/usage/cost.ts); absent when unknown (no usage, or no price configured). */
  readonly costMicros?: number | undefined;
  /** True when the usage is the gateway's estimate, not the provider's report. */
  readonly estimated: boolean;
  /** How many times routing fell back to another target. */
  readonly fallbacks: number;
  /** Upstream attempts made (retries, fallbacks and hedges included). */
  readonly attempts: number;
  /** The stream ended with an error after its 200 had been sent. */
  readonly streamError?: boolean | undefined;
  /** What the response cache did, when the request came under one (lambdas/cache). */
  readonly cache?: 'hit' | 'miss' | 'bypass' | undefined;
  /** A cache hit's cost at today's price, integer micro-dollars; absent when unpriced or not a hit. */
  readonly savedMicros?: number | undefined;
}

/**
 * Errors = 1 when the gateway or its upstreams failed the request: a 5xx status, or a stream that ended with an error
 * after its 200. Client-side outcomes (4xx: bad request, auth, budget, rate limit) are not errors here; their status
 * is in the metadata. Errors is always emitted (0 or 1), so its Average is the error rate.
 */
export function isErrorOutcome(record: Pick<RequestMetricsRecord, 'status' | 'streamError'>): boolean {
  return record.status >= 500 || record.streamError === true;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/**
 * Publishes ONE EMF document for a finished request, in the namespace of lambdas/observability/emf-metrics.ts, with dimensions
 * {service, Model, Provider, Plan} and the metrics:
 * - Requests (Count) = 1; Errors (Count) 0|1, see isErrorOutcome; Fallbacks (Count), only when not 0; Latency
 *   (Milliseconds, to 0.1 ms);
 * - TimeToFirstToken (Milliseconds), only when given (streams);
 * - InputTokens, OutputTokens (Count), only when usage is given: omitted rather than 0 so that token averages (and
 *   SampleCount) describe served requests only; Sums are the same either way; CachedTokens, CacheWriteTokens (Count)
 *   likewise, and only when not 0;
 * - CostUSD (None: CloudWatch has no currency unit) = costMicros / 1e6 as a float, only when the cost is known, so an
 *   unknown price never shows as $0;
 * - CacheHits, CacheMisses (Count) 0|1, only for a request under a response cache (a bypass counts as neither), and
 *   CostSavedUSD (None) on a priced hit: what it would have cost.
 * Metadata (top-level fields for Logs Insights, never dimensions): tenant only — the request id, key, status, usage
 * estimate flag and attempts are in the request's "request completed" line (request-report.ts), written next to it;
 * one request's log bytes stay under 1.2 KB (docs/PERFORMANCE.md). Metric values are top-level
 * numbers in the same document, so per-tenant cost is `stats sum(CostUSD) by tenant`.
 * Resolution: standard.
 *
 * The process's Metrics instance (documentMetrics): the whole document is built and written synchronously, so no
 * state is shared with other requests. Never throws: a failure is logged as a warning; invalid values (negative, NaN,
 * infinite) are left out of the document with a warning.
 */
export function publishRequestMetrics(record: RequestMetricsRecord): void {
  if (metricsDisabled()) return;
  try {
    publishDocument((metrics) => {
      metrics.addDimension('Model', dimensionValue(record.model));
      metrics.addDimension('Provider', dimensionValue(record.provider));
      metrics.addDimension('Plan', dimensionValue(record.plan));

      const skipped: string[] = [];
      const add = (name: string, unit: Unit, value: number): void => {
        if (Number.isFinite(value) && value >= 0) metrics.addMetric(name, unit, value);
        else skipped.push(name);
      };
      add('Requests', MetricUnit.Count, 1);
      add('Errors', MetricUnit.Count, isErrorOutcome(record) ? 1 : 0);
      if (record.fallbacks !== 0) add('Fallbacks', MetricUnit.Count, record.fallbacks);
      add('Latency', MetricUnit.Milliseconds, tenthOfMs(record.latencyMs));
      if (record.timeToFirstTokenMs !== undefined)
        add('TimeToFirstToken', MetricUnit.Milliseconds, tenthOfMs(record.timeToFirstTokenMs));
      if (record.usage !== undefined) addUsage(add, record.usage);
      if (record.costMicros !== undefined) add('CostUSD', MetricUnit.NoUnit, record.costMicros / 1e6);
      if (record.cache !== undefined) {
        add('CacheHits', MetricUnit.Count, record.cache === 'hit' ? 1 : 0);
        add('CacheMisses', MetricUnit.Count, record.cache === 'miss' ? 1 : 0);
      }
      if (record.savedMicros !== undefined) add('CostSavedUSD', MetricUnit.NoUnit, record.savedMicros / 1e6);

      addMetadata(metrics, record);
      if (skipped.length > 0)
        logger.warn('request metrics: invalid values left out', { requestId: record.requestId, metrics: skipped });
    });
  } catch (err) {
    logger.warn('request metrics not published', {
      requestId: record.requestId,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}

/** Latencies to a tenth of a millisecond: a float's 15 digits would be ~12 bytes more per value in every document. */
const tenthOfMs = (ms: number): number => Math.round(ms * 10) / 10;

function addUsage(add: (name: string, unit: Unit, value: number) => void, usage: Usage): void {
  add('InputTokens', MetricUnit.Count, usage.inputTokens);
  add('OutputTokens', MetricUnit.Count, usage.outputTokens);
  // Prompt-cache counts only when there are any: most requests have none, and a Sum is the same either way.
  if (usage.cachedInputTokens !== 0) add('CachedTokens', MetricUnit.Count, usage.cachedInputTokens);
  if (usage.cacheWriteTokens !== 0) add('CacheWriteTokens', MetricUnit.Count, usage.cacheWriteTokens);
}

/** What the finance queries group by; the request's other facts are in its "request completed" line. */
function addMetadata(metrics: Metrics, record: RequestMetricsRecord): void {
  metrics.addMetadata('tenant', record.tenant);
}

/** Powertools drops an empty dimension (and the document would land in another metric series): name it instead. */
function dimensionValue(value: string): string {
  return value.trim() === '' ? 'unknown' : value;
}
