import type { Duration } from 'aws-cdk-lib';
import { GraphWidget, MathExpression, SingleValueWidget, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import { summedRequests } from './request-metric-queries.js';

type Dimension = 'Model' | 'Plan';

/** 100 × hits / (hits + misses) of one alias or plan (or of all: no value); empty where there were no lookups. */
function hitRate(
  namespace: string,
  label: string,
  index: number,
  period: Duration,
  filter: Partial<Record<Dimension, string>>,
) {
  return new MathExpression({
    expression: `100 * h${index} / (h${index} + m${index})`,
    label,
    period,
    usingMetrics: {
      [`h${index}`]: summedRequests(namespace, 'CacheHits', `hits ${label}`, period, filter),
      [`m${index}`]: summedRequests(namespace, 'CacheMisses', `misses ${label}`, period, filter),
    },
  });
}

/**
 * The response cache's row of the finance dashboard (lambdas/cache): what the hits saved over the time range by model
 * alias and by plan (CostSavedUSD: their cost at today's price), and the hit rate per hour by alias and by plan.
 */
export function cacheWidgets(
  namespace: string,
  dimension: Dimension,
  values: readonly string[],
  what: string,
  period: Duration,
  range: Duration,
): IWidget[] {
  const saved = new SingleValueWidget({
    title: `Saved by the response cache in the time range by ${what} (USD)`,
    metrics: [
      summedRequests(namespace, 'CostSavedUSD', 'all', range),
      ...values.map((value) => summedRequests(namespace, 'CostSavedUSD', value, range, { [dimension]: value })),
    ],
    setPeriodToTimeRange: true,
    fullPrecision: true,
    width: 12,
    height: 4,
  });
  const rates = new GraphWidget({
    title: `Response cache hit rate by ${what} (%)`,
    left: [
      hitRate(namespace, 'all', 0, period, {}),
      ...values.map((value, i) => hitRate(namespace, value, i + 1, period, { [dimension]: value })),
    ],
    leftYAxis: { label: '%', showUnits: false, min: 0, max: 100 },
    period,
    width: 12,
    height: 6,
  });
  return [saved, rates];
}
