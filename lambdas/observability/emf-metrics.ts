import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../core/logger.js';

/** The namespace when POWERTOOLS_METRICS_NAMESPACE is unset (the stack sets it to the same value). */
export const DEFAULT_METRICS_NAMESPACE = 'LLMGateway';

/**
 * CloudWatch metrics as EMF through Powertools. Every emitting call builds its OWN Metrics instance, fills it and
 * publishes it at once: one self-contained EMF document per call, nothing buffered across requests (the local
 * server runs requests concurrently in one process; a shared instance's buffer would be shared mutable state).
 * Powertools' singleMetric() is a per-call instance too, but it publishes on every addMetric (one document per
 * metric), so it does not fit a request's several metrics.
 *
 * Cost: the constructor re-reads the POWERTOOLS_* environment and makes a Console on stdout, about 40 µs more than a
 * shared instance per document on Node 22, negligible next to an upstream call. In return POWERTOOLS_METRICS_DISABLED,
 * POWERTOOLS_DEV and the namespace are read per document (tests switch metrics on without re-importing modules).
 *
 * Every document carries Powertools' default dimension `service` (POWERTOOLS_SERVICE_NAME, else 'llm-gateway'), a
 * constant per deployment, so it adds no cardinality; dashboards must include it in their dimension maps.
 * Powertools' own warnings (invalid dimension, empty document) go to the root logger, not to stderr.
 */
export function newMetrics(): Metrics {
  return new Metrics({
    namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME || 'llm-gateway',
    logger,
  });
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
    const metrics = newMetrics();
    for (const [key, dimension] of Object.entries(dimensions)) metrics.addDimension(key, dimension);
    metrics.addMetric(name, MetricUnit.Count, value);
    metrics.publishStoredMetrics();
  } catch (err) {
    logger.warn('metric not published', { metric: name, error: err instanceof Error ? err.message : String(err) });
  }
}
