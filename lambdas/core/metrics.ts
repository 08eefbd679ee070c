import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * CloudWatch metrics as EMF through Powertools. Each call publishes its own EMF document at once (singleMetric):
 * nothing is buffered across requests, which the local server runs concurrently in one process.
 * Dimensions stay low-cardinality (Model = alias, Provider, Plan); tenant ids go in metadata, never in dimensions.
 */
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'LLMGateway',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'llm-gateway',
});

export function countMetric(name: string, dimensions: Readonly<Record<string, string>>, value = 1): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}
