import { CfnOutput, type Stack } from 'aws-cdk-lib';

/** What the resource outputs name: the secret, the table, the dashboard, the evaluation bus and the alarm topic. */
export interface ResourceOutputs {
  readonly providerSecretArn: string;
  readonly tableName: string;
  readonly dashboardName: string;
  readonly evaluationBusName: string;
  readonly alarmTopicArn: string;
}

/** The stack's outputs for operators beside the URLs (lib/url-outputs.ts): where keys go, what to watch. */
export function addResourceOutputs(stack: Stack, outputs: ResourceOutputs): void {
  new CfnOutput(stack, 'ProviderSecretArn', {
    value: outputs.providerSecretArn,
    description: 'Put the provider keys here: a JSON object {"<provider>": "<key>"}',
  });
  new CfnOutput(stack, 'TableName', { value: outputs.tableName });
  new CfnOutput(stack, 'FinanceDashboardUrl', {
    value: `https://${stack.region}.console.aws.amazon.com/cloudwatch/home?region=${stack.region}#dashboards/dashboard/${outputs.dashboardName}`,
    description:
      'CloudWatch dashboard: spend by model alias, plan and tenant; traffic, errors, latency, tokens; alarms',
  });
  new CfnOutput(stack, 'EvaluationBusName', {
    value: outputs.evaluationBusName,
    description:
      'EventBridge bus of the evaluation events: add rules here to route them (to SQS, Firehose, a Lambda, …)',
  });
  new CfnOutput(stack, 'AlarmTopicArn', {
    value: outputs.alarmTopicArn,
    description: 'SNS topic of the gateway alarms: subscribe here (or set alarms.email in the configuration)',
  });
}
