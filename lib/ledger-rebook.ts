import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, type EventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { DEFERRED_DETAIL_TYPE, DEFERRED_SOURCE } from '../lambdas/ledger/deferred-event.js';
import { gatewayTable } from '../lambdas/store/tables.js';
import { GatewayFunction } from './function-construct.js';
import { ledgerRebookSpec } from './function-specs.js';

/** How often EventBridge retries delivering a deferred booking to the function before its dead-letter queue. */
export const REBOOK_DELIVERY_RETRIES = 8;

export interface LedgerRebookProps {
  readonly bus: EventBus;
  readonly table: Table;
  readonly configFile: string;
  readonly logRemovalPolicy: RemovalPolicy;
  /** The topic the alarms notify (lib/gateway-alarms.ts); the alarm's name starts with `alarmNamePrefix`. */
  readonly topic: Topic;
  readonly alarmNamePrefix: string;
  /** The stack's metrics namespace (its deferred-booking metrics go there too). */
  readonly metricsNamespace: string;
}

export interface LedgerRebook {
  readonly fn: GatewayFunction;
  readonly rule: Rule;
  readonly deadLetters: Queue;
  readonly alarm: Alarm;
}

/**
 * Where a booking goes that the chat function could not write within its invocation (LedgerBookingDeferred events on
 * the gateway's bus, lambdas/ledger/deferred-sender.ts): a rule → the ledger-rebook function, which writes it with
 * the same conditional record (lambdas/handlers/ledger-rebook.ts). Nothing is lost: an event EventBridge could not
 * deliver (REBOOK_DELIVERY_RETRIES, within a day) and one the function kept failing on (Lambda's two retries of an
 * asynchronous invocation) both land in one encrypted dead-letter queue (14 days), and an alarm fires as soon as it
 * holds a message: an operator re-sends it to the bus once the store takes writes again.
 */
export function createLedgerRebook(scope: Construct, props: LedgerRebookProps): LedgerRebook {
  const deadLetters = new Queue(scope, 'LedgerRebookDeadLetters', {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const spec = ledgerRebookSpec;
  const fn = new GatewayFunction(scope, 'LedgerRebookFunction', {
    name: 'ledger-rebook',
    configFile: props.configFile,
    logRemovalPolicy: props.logRemovalPolicy,
    metricsNamespace: props.metricsNamespace,
    deadLetterQueue: deadLetters,
    ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
  });
  if (spec.table !== 'none') fn.grantTableAccess(props.table, gatewayTable, spec.table);
  const rule = new Rule(scope, 'LedgerBookingDeferredRule', {
    description: 'Bookings the chat function deferred (the store kept refusing them): written by ledger-rebook',
    eventBus: props.bus,
    eventPattern: { source: [DEFERRED_SOURCE], detailType: [DEFERRED_DETAIL_TYPE] },
    targets: [
      new LambdaFunction(fn, {
        deadLetterQueue: deadLetters,
        retryAttempts: REBOOK_DELIVERY_RETRIES,
        maxEventAge: Duration.hours(24),
      }),
    ],
  });
  const alarm = new Alarm(scope, 'LedgerRebookDeadLettersAlarm', {
    alarmName: `${props.alarmNamePrefix}ledger-rebook-dead-letters`,
    alarmDescription:
      'LLM Gateway: a deferred booking could not be written by ledger-rebook and is in its dead-letter queue ' +
      `(${Stack.of(scope).stackName}): usage is missing from the ledger until it is re-sent to the bus. See the ` +
      "function's logs for why.",
    metric: deadLetters.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(5),
      statistic: Stats.MAXIMUM,
    }),
    threshold: 0,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(props.topic));
  alarm.addOkAction(new SnsAction(props.topic));
  return { fn, rule, deadLetters, alarm };
}
