import type { Duration } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { SERVICE_NAME } from './function-bundle.js';

/**
 * How the dashboard and the alarms read the per-request EMF metrics (lambdas/observability/request-metrics.ts).
 *
 * A series there is named by ALL of its dimensions — Powertools' `service`, Model (the alias), Provider and Plan — so
 * "cost of alias X" or "all errors" is a sum over many series. Dashboards sum a SEARCH with SUM(); alarms cannot (no
 * SEARCH in an alarm, at most 10 metrics, one Metrics Insights query), so they use one Metrics Insights query.
 * Every builder takes the stack's metrics namespace (lib/deploy-settings.ts): stacks side by side read only their own.
 */
export const REQUEST_DIMENSIONS = ['Model', 'Plan', 'Provider', 'service'] as const;

/** The metrics of a request document that the dashboard and alarms read. */
export type RequestMetric =
  | 'Requests'
  | 'Errors'
  | 'Latency'
  | 'TimeToFirstToken'
  | 'InputTokens'
  | 'OutputTokens'
  | 'CachedTokens'
  | 'CacheWriteTokens'
  | 'CostUSD'
  | 'CacheHits'
  | 'CacheMisses'
  | 'CostSavedUSD';

/** Exact dimension values narrowing a search (a configured alias, plan or provider). */
export type RequestFilter = Readonly<Partial<Record<'Model' | 'Plan' | 'Provider', string>>>;

/** Configuration names (letters, digits, `.`, `_`, `-`) need no escaping inside the quotes of a search term. */
const PLAIN_VALUE = /^[A-Za-z0-9._-]+$/;

function quoted(value: string): string {
  if (!PLAIN_VALUE.test(value)) throw new Error(`Cannot search for dimension value ${JSON.stringify(value)}`);
  return `"${value}"`;
}

/**
 * `SEARCH('{LLMGateway,Model,Plan,Provider,service} MetricName="CostUSD" service="llm-gateway" Model="fast"', 'Sum')`:
 * every series of one metric with exactly the request dimensions, narrowed by exact values. No period argument, so the
 * widget's (or the expression's) period applies, "whole time range" included.
 */
export function searchRequests(
  namespace: string,
  metric: RequestMetric,
  statistic: string,
  filter: RequestFilter = {},
): string {
  const narrowed = Object.entries(filter).flatMap(([dimension, value]) =>
    value === undefined ? [] : [`${dimension}=${quoted(value)}`],
  );
  const terms = [`MetricName=${quoted(metric)}`, `service=${quoted(SERVICE_NAME)}`, ...narrowed];
  return `SEARCH('{${[namespace, ...REQUEST_DIMENSIONS].join(',')}} ${terms.join(' ')}', '${statistic}')`;
}

/** One line on a graph: the Sum of `metric` over every series the filter matches (every provider and plan of an alias, …). */
export function summedRequests(
  namespace: string,
  metric: RequestMetric,
  label: string,
  period: Duration,
  filter: RequestFilter = {},
): MathExpression {
  return new MathExpression({
    expression: `SUM(${searchRequests(namespace, metric, 'Sum', filter)})`,
    label,
    period,
    usingMetrics: {},
  });
}

/** One line per series (Model, Provider, Plan) of a statistic that cannot be summed, such as a percentile. */
export function perSeries(
  namespace: string,
  metric: RequestMetric,
  statistic: string,
  label: string,
  period: Duration,
): MathExpression {
  return new MathExpression({
    expression: searchRequests(namespace, metric, statistic),
    label,
    period,
    usingMetrics: {},
  });
}

/**
 * A Metrics Insights query over every request series of this service: ONE time series, which an alarm can watch.
 * Its functions aggregate observations, so AVG(Errors) weighs every request document alike.
 */
export function insightsQuery(namespace: string, fn: 'AVG' | 'SUM', metric: RequestMetric): string {
  return `SELECT ${fn}(${metric}) FROM SCHEMA("${namespace}", ${REQUEST_DIMENSIONS.join(', ')}) WHERE service = '${SERVICE_NAME}'`;
}
