import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../core/logger.js';

/** The namespace when POWERTOOLS_METRICS_NAMESPACE is unset (the stack sets it to the same value). */
export const DEFAULT_METRICS_NAMESPACE = 'LLMGateway';

/**
 * CloudWatch metrics as EMF through Powertools: one self-contained EMF document per emitting call, filled and
 * published in one synchronous run (no await between the first add and publishStoredMetrics, which empties the
 * instance: metrics, timestamp, dimensions, metadata). So one instance per process serves every call, even with
 * requests running concurrently (the local server): nothing of one document can leak into another. A failure while
 * filling empties it too (`discardDocument`). Powertools' singleMetric() would publish on every addMetric (one
 * document per metric), which does not fit a request's several metrics.
 *
 * One instance rather than one per document: the constructor re-reads the POWERTOOLS_* environment and builds a
 * Console on stdout, ~0.2 ms per document in the bench's profile. The instance is rebuilt when that environment
 * changes (tests switch metrics on without re-importing modules).
 *
 * Every document carries Powertools' default dimension `service` (POWERTOOLS_SERVICE_NAME, else 'llm-gateway'), a
 * constant per deployment, so it adds no cardinality; dashboards must include it in their dimension maps.
 * Powertools' own warnings (invalid dimension, empty document) go to the root logger, not to stderr.
 */
const ENVIRONMENT = [
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_DEV',
  'POWERTOOLS_METRICS_DISABLED',
  'POWERTOOLS_METRICS_FUNCTION_NAME',
] as const;
let shared: { readonly environment: string; readonly metrics: Metrics } | undefined;
/** A document is being filled or written on the shared instance (a nested one gets an instance of its own). */
let busy = false;

const freshMetrics = (): Metrics =>
  new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'llm-gateway',
    logger,
  });

/** The process's instance for the current POWERTOOLS_* environment. */
function sharedMetrics(): Metrics {
  const environment = ENVIRONMENT.map((name) => process.env[name] ?? '').join('\0');
  if (shared?.environment !== environment) shared = { environment, metrics: freshMetrics() };
  return shared.metrics;
}

/**
 * One EMF document: `fill` adds its metrics, dimensions and metadata, then it is published — on the shared instance,
 * or on a fresh one when called while another document is on it (from inside its write). A throw empties the
 * instance and is rethrown.
 */
export function publishDocument(fill: (metrics: Metrics) => void): void {
  const owner = !busy;
  const metrics = owner ? sharedMetrics() : freshMetrics();
  busy = true;
  try {
    fill(metrics);
    metrics.publishStoredMetrics();
  } catch (err) {
    metrics.clearMetrics();
    metrics.clearDimensions();
    metrics.clearMetadata();
    throw err;
  } finally {
    if (owner) busy = false;
  }
}

/** POWERTOOLS_METRICS_DISABLED set: skip building documents at all (they run on every request). */
export const metricsDisabled = (): boolean =>
  ['true', '1'].includes((process.env.POWERTOOLS_METRICS_DISABLED ?? '').toLowerCase());

/**
 * One count (e.g. a routing event) as its own EMF document. Keep dimensions low-cardinality (Model = alias,
 * Provider, Plan): tenant ids go in metadata, never in dimensions. Never throws: metrics must not fail a request.
 */
export function countMetric(name: string, dimensions: Readonly<Record<string, string>>, value = 1): void {
  if (metricsDisabled()) return;
  try {
    publishDocument((metrics) => {
      for (const [key, dimension] of Object.entries(dimensions)) metrics.addDimension(key, dimension);
      metrics.addMetric(name, MetricUnit.Count, value);
    });
  } catch (err) {
    logger.warn('metric not published', { metric: name, error: err instanceof Error ? err.message : String(err) });
  }
}
