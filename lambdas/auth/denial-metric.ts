import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logger } from '../core/logger.js';
import { metricsDisabled, publishDocument } from '../observability/emf-metrics.js';

/**
 * The EMF metric counting the authorizer's refusals. API Gateway answers 401 only when the authorizer throws
 * `Unauthorized`, which Lambda counts in the function's `Errors`; the function-failures alarm subtracts this count
 * from them (lib/gateway-alarms.ts), so a wrong key is not an alarm while a crash, timeout or OOM still is.
 * Dimensions: only Powertools' `service`.
 */
export const AUTHORIZER_DENIALS_METRIC = 'AuthorizerDenials';

/**
 * One denial, stamped with the invocation's start (`startedAt`, ms) so that it lands in the same period as the
 * `Errors` point Lambda records for the invocation. Never throws: a metric must not turn a 401 into a 500.
 */
export function countDenial(startedAt: number): void {
  if (metricsDisabled()) return;
  try {
    publishDocument((metrics) => {
      metrics.setTimestamp(startedAt);
      metrics.addMetric(AUTHORIZER_DENIALS_METRIC, MetricUnit.Count, 1);
    });
  } catch (err) {
    logger.warn('metric not published', {
      metric: AUTHORIZER_DENIALS_METRIC,
      error: err instanceof Error ? err.message : String(err),
    });
  }
}
