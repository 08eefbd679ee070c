import { Aws, CfnOutput, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, type EventBus, type IRuleTarget } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { BUDGET_DETAIL_TYPE, BUDGET_SOURCE } from '../lambdas/budgets/budget-event.js';

export interface BudgetTopicProps {
  /** The gateway's bus, where the chat function puts its BudgetThresholdReached events. */
  readonly bus: EventBus;
  readonly removalPolicy: RemovalPolicy;
  /** Addresses subscribed to the topic by e-mail (quotas.warnEmail); none when absent. */
  readonly emails?: string | readonly string[] | undefined;
}

export interface BudgetTopic {
  readonly topic: Topic;
  readonly rule: Rule;
}

/**
 * The budget warnings' SNS topic (output BudgetTopicArn: subscribe finance here): a rule on the gateway's bus
 * forwards every BudgetThresholdReached event (lambdas/budgets/budget-event.ts) to it. Encrypted with its own KMS key
 * (rotated yearly) and refusing publishers without TLS, as the alarm topic (lib/alarm-topic.ts); EventBridge may
 * publish to it only on behalf of this rule (aws:SourceAccount, aws:SourceArn), and encrypt for it on behalf of the
 * bus's rules. Each address of `emails` gets an e-mail subscription (confirmed by its owner, as SNS asks).
 */
export function createBudgetTopic(scope: Construct, props: BudgetTopicProps): BudgetTopic {
  const key = new Key(scope, 'BudgetTopicKey', {
    description: 'LLM Gateway: encrypts the budget warnings of its SNS topic',
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
  });
  const topic = new Topic(scope, 'BudgetTopic', {
    displayName: 'LLM Gateway budget warnings',
    masterKey: key,
    enforceSSL: true,
  });
  const rule = new Rule(scope, 'BudgetThresholdReachedRule', {
    description: 'Budget warnings (a tenant or key reached a threshold of a limit): to the budget SNS topic',
    eventBus: props.bus,
    eventPattern: { source: [BUDGET_SOURCE], detailType: [BUDGET_DETAIL_TYPE] },
  });
  const target: IRuleTarget = { bind: () => ({ arn: topic.topicArn, targetResource: topic }) };
  rule.addTarget(target);
  for (const email of typeof props.emails === 'string' ? [props.emails] : (props.emails ?? []))
    topic.addSubscription(new EmailSubscription(email));

  const events = new ServicePrincipal('events.amazonaws.com');
  const account = { 'aws:SourceAccount': Aws.ACCOUNT_ID };
  // The key's policy names the bus's rules, not this rule: the rule depends on the topic, the topic on the key.
  const rulesOfBus = Stack.of(scope).formatArn({
    service: 'events',
    resource: 'rule',
    resourceName: `${props.bus.eventBusName}/*`,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [events],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: account, ArnLike: { 'aws:SourceArn': rulesOfBus } },
    }),
  );
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [events],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { StringEquals: account, ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    }),
  );
  new CfnOutput(Stack.of(scope), 'BudgetTopicArn', {
    value: topic.topicArn,
    description: 'SNS topic of the budget warnings (quotas.warnAt thresholds reached, once per period): subscribe here',
  });
  return { topic, rule };
}
