import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { DEFAULT_ERROR_RATE_PERCENT, type AlarmsConfig } from '../lambdas/config/schema.js';
import { AUTHORIZER_DENIALS_METRIC } from '../lambdas/auth/denial-metric.js';
import { createAlarmTopic } from './alarm-topic.js';
import { SERVICE_NAME } from './function-bundle.js';
import { insightsQuery } from './request-metric-queries.js';

export interface GatewayAlarms {
  /** Every alarm notifies this topic, on ALARM and on OK. */
  readonly topic: Topic;
  readonly errorRate: Alarm;
  /** Invocations of the request-path functions that failed or were throttled: what the error rate cannot see. */
  readonly functionFailures: Alarm;
  /** Only when `alarms.hourlyCostUsd` is configured. */
  readonly hourlyCost: Alarm | undefined;
}

/** Alarm names start with `<stack>-alarm-`; the topic lets exactly those publish. */
export const alarmNamePrefix = (scope: Construct): string => `${Stack.of(scope).stackName}-alarm-`;

/**
 * The alarms on the chat function's EMF metrics, from `alarms` in the configuration (absent: the defaults):
 *
 * - error rate: Errors / Requests over 5 minutes above `errorRatePercent`. Every request document carries Requests = 1
 *   and Errors = 0 or 1, so the average of Errors over all of them IS that ratio, in one Metrics Insights query (an
 *   alarm takes one such query and no arithmetic over two). Compared as a fraction: 5 % is 0.05.
 * - budget burn: the Sum of CostUSD over one hour above `hourlyCostUsd`, only when that is set. Calls whose model has
 *   no price carry no CostUSD and are not counted.
 *
 * - function failures: Lambda's own Errors + Throttles of the functions on every request's path (chat, the
 *   authorizer) over 5 minutes, above 0. A crash, a timeout, running out of memory or a throttle leaves no request
 *   document, so the error rate cannot count it; the client got a 5xx from API Gateway all the same. The authorizer
 *   refuses a key by throwing `Unauthorized` (the only way to a 401), which Lambda counts as an error too: its Errors
 *   count minus its AuthorizerDenials (an EMF metric it writes for each refusal, stamped with the invocation's start)
 *   are its failures, so a wrong key does not set the alarm off. Every input is FILLed with 0: a function without
 *   invocations (an authorizer answered from API Gateway's cache) has no data points, which would void the sum.
 *
 * Missing data is not breaching: no requests means no errors and no spend, and the alarms then read OK instead of
 * sitting in INSUFFICIENT_DATA through every quiet hour.
 */
export function createGatewayAlarms(
  scope: Construct,
  config: AlarmsConfig | undefined,
  removalPolicy: RemovalPolicy,
  requestPath: { readonly functions: readonly IFunction[]; readonly authorizer: IFunction | undefined },
  metricsNamespace: string,
): GatewayAlarms {
  const settings = config ?? { errorRatePercent: DEFAULT_ERROR_RATE_PERCENT };
  const prefix = alarmNamePrefix(scope);
  const topic = createAlarmTopic(scope, { alarmNamePattern: `${prefix}*`, email: settings.email, removalPolicy });
  const notify = (alarm: Alarm): Alarm => {
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
    return alarm;
  };

  const errorRate = notify(
    new Alarm(scope, 'ErrorRateAlarm', {
      alarmName: `${prefix}error-rate`,
      alarmDescription:
        `LLM Gateway: more than ${settings.errorRatePercent} % of chat requests failed over 5 minutes (Errors / ` +
        'Requests: a 5xx, or a stream that failed after its 200; 4xx are not errors). Threshold: alarms.errorRatePercent.',
      metric: new MathExpression({
        expression: insightsQuery(metricsNamespace, 'AVG', 'Errors'),
        label: 'Errors / Requests',
        period: Duration.minutes(5),
        usingMetrics: {},
      }),
      threshold: settings.errorRatePercent / 100,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  );

  const period = Duration.minutes(5);
  const failures: Record<string, IMetric> = {};
  const added: string[] = [];
  const subtracted: string[] = [];
  const addFunction = (fn: IFunction, i: number): void => {
    failures[`e${i}`] = fn.metricErrors({ period, statistic: Stats.SUM });
    failures[`t${i}`] = fn.metricThrottles({ period, statistic: Stats.SUM });
    added.push(`FILL(e${i}, 0)`, `FILL(t${i}, 0)`);
  };
  requestPath.functions.forEach(addFunction);
  if (requestPath.authorizer !== undefined) {
    const i = requestPath.functions.length;
    addFunction(requestPath.authorizer, i);
    failures[`d${i}`] = new Metric({
      namespace: metricsNamespace,
      metricName: AUTHORIZER_DENIALS_METRIC,
      dimensionsMap: { service: SERVICE_NAME },
      period,
      statistic: Stats.SUM,
    });
    subtracted.push(`FILL(d${i}, 0)`);
  }
  const functionFailures = notify(
    new Alarm(scope, 'FunctionFailuresAlarm', {
      alarmName: `${prefix}function-failures`,
      alarmDescription:
        'LLM Gateway: invocations of the chat or authorizer function crashed, timed out, ran out of memory or were ' +
        "throttled in the last 5 minutes (Lambda Errors + Throttles; the authorizer's refusals of bad keys, which Lambda " +
        'counts as Errors, are subtracted). Their clients got a 5xx from API Gateway and no request metrics were ' +
        "written: see the functions' logs.",
      metric: new MathExpression({
        expression: [added.join(' + '), ...subtracted].join(' - '),
        label: 'failed or throttled invocations (authorizer denials not counted)',
        period,
        usingMetrics: failures,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }),
  );

  const hourlyCost =
    settings.hourlyCostUsd === undefined
      ? undefined
      : notify(
          new Alarm(scope, 'HourlyCostAlarm', {
            alarmName: `${prefix}hourly-cost`,
            alarmDescription:
              `LLM Gateway budget burn: the priced calls of one hour cost more than ${settings.hourlyCostUsd} USD ` +
              '(Sum of CostUSD over every model, provider and plan). Threshold: alarms.hourlyCostUsd.',
            metric: new MathExpression({
              expression: insightsQuery(metricsNamespace, 'SUM', 'CostUSD'),
              label: 'USD per hour',
              period: Duration.hours(1),
              usingMetrics: {},
            }),
            threshold: settings.hourlyCostUsd,
            comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: TreatMissingData.NOT_BREACHING,
          }),
        );

  return { topic, errorRate, functionFailures, hourlyCost };
}
