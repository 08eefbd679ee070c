import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createBudgetTopic } from '../../lib/budget-topic.js';
import { gatewayConfigSchema } from '../../lambdas/config/schema.js';

// The budget warnings' way out in AWS: BudgetThresholdReached events on the gateway's bus → a rule → an encrypted SNS
// topic that only this rule (through EventBridge) may publish to.
const app = new App();
const stack = new Stack(app, 'BudgetTopicTest');
const bus = new EventBus(stack, 'Bus');
createBudgetTopic(stack, { bus, removalPolicy: RemovalPolicy.DESTROY });
const nag = new AwsSolutionsChecks(app, { verbose: true });
const template = Template.fromStack(stack);
const violations = nag.validateScope(app).violations;

test('a rule on the bus sends the budget events to the topic', () => {
  template.hasResourceProperties('AWS::Events::Rule', {
    EventBusName: { Ref: Match.anyValue() },
    EventPattern: { source: ['llm-gateway.budget'], 'detail-type': ['BudgetThresholdReached'] },
    Targets: [Match.objectLike({ Arn: { Ref: Match.stringLikeRegexp('^BudgetTopic') } })],
  });
  template.hasOutput('BudgetTopicArn', { Value: { Ref: Match.stringLikeRegexp('^BudgetTopic') } });
});

test('the topic is encrypted with its rotated key and takes publications from this rule only, over TLS', () => {
  template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  const source = { 'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('^BudgetThresholdReachedRule'), 'Arn'] } };
  template.hasResourceProperties('AWS::SNS::TopicPolicy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        Match.objectLike({
          Action: 'sns:Publish',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: Match.objectLike({ ArnEquals: source }),
        }),
      ]),
    },
  });
  template.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Condition: Match.objectLike({ ArnLike: Match.objectLike({ 'aws:SourceArn': Match.anyValue() }) }),
        }),
      ]),
    },
  });
});

test('cdk-nag (AwsSolutions) finds nothing', () => {
  expect(violations).toEqual([]);
});

test('budgets.email: one e-mail subscription per address (none without it); the configuration takes one or several', () => {
  const subscriptions = (emails?: string | string[]) => {
    const other = new Stack(new App(), 'BudgetEmailTest');
    createBudgetTopic(other, { bus: new EventBus(other, 'Bus'), removalPolicy: RemovalPolicy.DESTROY, emails });
    return Template.fromStack(other).findResources('AWS::SNS::Subscription');
  };
  expect(subscriptions()).toEqual({});
  expect(template.findResources('AWS::SNS::Subscription')).toEqual({});
  const two = Object.values(subscriptions(['finance@example.com', 'cfo@example.com']));
  expect(two.map((resource) => resource.Properties)).toEqual([
    { Protocol: 'email', Endpoint: 'finance@example.com', TopicArn: { Ref: expect.stringMatching(/^BudgetTopic/) } },
    { Protocol: 'email', Endpoint: 'cfo@example.com', TopicArn: { Ref: expect.stringMatching(/^BudgetTopic/) } },
  ]);
  expect(Object.values(subscriptions('finance@example.com'))).toHaveLength(1);

  const parse = (budgets: unknown) => gatewayConfigSchema.safeParse({ budgets });
  expect(parse({ email: 'finance@example.com' }).data?.budgets?.email).toBe('finance@example.com');
  expect(parse({ email: ['a@example.com', 'b@example.com'] }).success).toBe(true);
  expect(parse({ email: 'not an address' }).success).toBe(false);
  expect(parse({ email: [] }).success).toBe(false);
  expect(parse({ emails: 'a@example.com' }).success).toBe(false);
});
