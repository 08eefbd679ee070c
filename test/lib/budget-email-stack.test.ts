import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseConfig } from '../../lambdas/config/load.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';
import { tempDir } from '../helpers/tmp.js';

// budgets.email in the configuration: the deployed stack subscribes each address to the budget topic (not to the
// alarm topic), so budget warnings arrive by e-mail. Synthesized without bundling.
const dir = tempDir('budget-email-stack');
afterAll(() => dir.remove());

it('budgets.email subscribes its addresses to the budget topic, and only there', () => {
  const config = {
    ...(JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')) as Record<string, unknown>),
    budgets: { email: ['finance@example.com', 'cfo@example.com'] },
  };
  const configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new GatewayStack(app, 'BudgetEmail', {
    config: parseConfig(JSON.stringify(config), configFile),
    configFile,
  });
  const subscriptions = Object.values(Template.fromStack(stack).findResources('AWS::SNS::Subscription'));
  expect(subscriptions.map((resource) => resource.Properties)).toEqual([
    { Protocol: 'email', Endpoint: 'finance@example.com', TopicArn: { Ref: expect.stringMatching(/^BudgetTopic/) } },
    { Protocol: 'email', Endpoint: 'cfo@example.com', TopicArn: { Ref: expect.stringMatching(/^BudgetTopic/) } },
  ]);
});
