import { ArnFormat, Aws, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicProps {
  /** Names of the alarms that may publish, e.g. `LlmGateway-alarm-*` (a wildcard pattern, no ARN). */
  readonly alarmNamePattern: string;
  /** An address to subscribe; SNS mails it a confirmation link first. */
  readonly email?: string | undefined;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The SNS topic the alarms notify: encrypted with its own KMS key (rotated yearly) and refusing publishers without
 * TLS. CloudWatch cannot use the AWS-managed SNS key, so the key's policy lets the CloudWatch service principal
 * encrypt for this topic; both grants hold only for alarms of this account whose names match the pattern (the
 * confused-deputy conditions aws:SourceAccount and aws:SourceArn).
 */
export function createAlarmTopic(scope: Construct, props: AlarmTopicProps): Topic {
  const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
  const conditions = {
    StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
    ArnLike: {
      'aws:SourceArn': Stack.of(scope).formatArn({
        service: 'cloudwatch',
        resource: 'alarm',
        resourceName: props.alarmNamePattern,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    },
  };

  const key = new Key(scope, 'AlarmTopicKey', {
    description: 'LLM Gateway: encrypts the alarm notifications of its SNS topic',
    enableKeyRotation: true,
    removalPolicy: props.removalPolicy,
  });
  key.addToResourcePolicy(
    new PolicyStatement({
      principals: [cloudwatch],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions,
    }),
  );

  const topic = new Topic(scope, 'AlarmTopic', {
    displayName: 'LLM Gateway alarms',
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [cloudwatch],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions,
    }),
  );
  if (props.email !== undefined) topic.addSubscription(new EmailSubscription(props.email));
  return topic;
}
