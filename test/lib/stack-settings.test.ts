import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, parseConfig } from '../../lambdas/config/load.js';
import { deploySettings, type DeploySettings } from '../../lib/deploy-settings.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';
import { render } from '../helpers/cfn-render.js';
import { tempDir } from '../helpers/tmp.js';

// Stack name, stage, metrics namespace and the account-wide API Gateway setting, as bin/app.ts reads them; two stacks
// in one app, synthesized without bundling (nothing here reads the bundles).

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

const CONFIG_TEXT = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');
let dir: { path: string; remove: () => void };
let configFile: string;
beforeAll(() => {
  dir = tempDir('stack-settings-test');
  configFile = join(dir.path, 'gateway.config.json');
  writeFileSync(configFile, CONFIG_TEXT);
});
afterAll(() => dir.remove());

const settingsOf = (context: Record<string, unknown>, env: Record<string, string> = {}): DeploySettings =>
  deploySettings((key) => context[key], env);

function addStack(app: App, settings: DeploySettings): GatewayStack {
  return new GatewayStack(app, settings.stackName, {
    config: parseConfig(CONFIG_TEXT, configFile),
    configFile,
    stage: settings.stage,
    metricsNamespace: settings.metricsNamespace,
    apiGatewayAccount: settings.apiGatewayAccount,
  });
}

const resourcesOf = (stack: GatewayStack): Record<string, CfnResource> =>
  Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;

/**
 * Names that only label something inside the stack (an inline policy of a role, an operation, an SNS display name, the
 * metric an alarm watches).
 */
const LABELS = new Set(['PolicyName', 'OperationName', 'DisplayName', 'MetricName']);

/** Every literal name a resource is given (`…Name` properties that are plain strings): where two stacks could clash. */
function physicalNames(stack: GatewayStack): string[] {
  return Object.values(resourcesOf(stack)).flatMap((resource) =>
    Object.entries(resource.Properties ?? {})
      .filter(([key, value]) => /Name$/.test(key) && !LABELS.has(key) && typeof value === 'string')
      .map(([key, value]) => `${resource.Type}.${key}=${String(value)}`),
  );
}

describe('deploy settings', () => {
  test('defaults: stack LlmGateway, stage prod, namespace LLMGateway, the account setting created', () => {
    expect(settingsOf({})).toEqual({
      stackName: 'LlmGateway',
      stage: 'prod',
      metricsNamespace: 'LLMGateway',
      apiGatewayAccount: true,
    });
  });

  test('a named stack gets its own namespace; context wins over the environment', () => {
    expect(settingsOf({ stackName: 'GwStaging', stage: 'staging' }, { GATEWAY_STACK_NAME: 'Other' })).toEqual({
      stackName: 'GwStaging',
      stage: 'staging',
      metricsNamespace: 'LLMGateway/GwStaging',
      apiGatewayAccount: true,
    });
    expect(
      settingsOf({}, { GATEWAY_STACK_NAME: 'GwEnv', GATEWAY_METRICS_NAMESPACE: 'Team/Gw', GATEWAY_STAGE: 'live' }),
    ).toEqual({ stackName: 'GwEnv', stage: 'live', metricsNamespace: 'Team/Gw', apiGatewayAccount: true });
    expect(settingsOf({ apiGatewayAccount: 'false' }).apiGatewayAccount).toBe(false);
  });

  test.each([
    [{ stackName: '1bad' }, 'Stack name "1bad"'],
    [{ stackName: 'a_b' }, 'Stack name "a_b"'],
    [{ stage: 'v 1' }, 'Stage "v 1"'],
    [{ metricsNamespace: 'AWS/Lambda' }, 'Metrics namespace "AWS/Lambda"'],
    [{ apiGatewayAccount: 'no' }, 'apiGatewayAccount must be true or false'],
  ])('%j is refused with a ConfigError naming it', (context, message) => {
    expect(() => settingsOf(context)).toThrow(ConfigError);
    expect(() => settingsOf(context)).toThrow(message);
  });
});

describe('two stacks in one app', () => {
  let production: GatewayStack;
  let staging: GatewayStack;
  let app: App;
  beforeAll(() => {
    app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    production = addStack(app, settingsOf({}));
    staging = addStack(app, settingsOf({ stackName: 'LlmGatewayStaging', stage: 'staging', apiGatewayAccount: false }));
  });

  test('synthesize side by side, cdk-nag clean, with no literal resource name in common', () => {
    const nag = new AwsSolutionsChecks(app, { verbose: true });
    const assembly = app.synth();
    expect(assembly.stacks.map((s) => s.stackName).sort()).toEqual(['LlmGateway', 'LlmGatewayStaging']);
    expect(nag.validateScope(app).violations).toEqual([]);
    const ours = new Set(physicalNames(production));
    expect(physicalNames(staging).filter((name) => ours.has(name))).toEqual([]);
    // The names each stack does give: dashboards, alarms, usage plans carry the stack's name.
    expect(physicalNames(staging).filter((n) => /Dashboard|Alarm\.|UsagePlan\.|RestApi\./.test(n))).toEqual(
      expect.arrayContaining([
        'AWS::CloudWatch::Dashboard.DashboardName=LlmGatewayStaging-finance',
        'AWS::CloudWatch::Alarm.AlarmName=LlmGatewayStaging-alarm-error-rate',
        'AWS::ApiGateway::UsagePlan.UsagePlanName=LlmGatewayStaging-default',
        'AWS::ApiGateway::RestApi.Name=LlmGatewayStaging',
      ]),
    );
  });

  test('the table, the secret and the log groups are named by CloudFormation, so they cannot clash', () => {
    for (const stack of [production, staging]) {
      for (const resource of Object.values(resourcesOf(stack))) {
        if (resource.Type === 'AWS::DynamoDB::Table') expect(resource.Properties?.TableName).toBeUndefined();
        if (resource.Type === 'AWS::SecretsManager::Secret') expect(resource.Properties?.Name).toBeUndefined();
        if (resource.Type === 'AWS::Logs::LogGroup') expect(resource.Properties?.LogGroupName).toBeUndefined();
      }
    }
  });

  test('each stack writes and reads its own metrics namespace: functions, dashboard and alarms', () => {
    for (const [stack, namespace] of [
      [production, 'LLMGateway'],
      [staging, 'LLMGateway/LlmGatewayStaging'],
    ] as const) {
      const resources = Object.values(resourcesOf(stack));
      for (const fn of resources.filter((r) => r.Type === 'AWS::Lambda::Function')) {
        const env = fn.Properties?.Environment as { Variables: Record<string, string> };
        expect(env.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe(namespace);
      }
      const [dashboard] = resources.filter((r) => r.Type === 'AWS::CloudWatch::Dashboard');
      const body = render(dashboard!.Properties!.DashboardBody);
      expect(body).toContain(`{${namespace},Model,Plan,Provider,service}`);
      const other = namespace === 'LLMGateway' ? 'LLMGateway/' : '{LLMGateway,';
      expect(body).not.toContain(other);
      const alarms = JSON.stringify(resources.filter((r) => r.Type === 'AWS::CloudWatch::Alarm'));
      expect(alarms).toContain(`SCHEMA(\\"${namespace}\\"`);
    }
  });

  test('the stage is the chosen one; OpenAIBaseUrl is <stage URL>/v1', () => {
    const outputs = Template.fromStack(staging).toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(render(outputs.OpenAIBaseUrl!.Value)).toMatch(/\/staging\/v1$/);
    Template.fromStack(staging).hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'staging' });
  });

  test('only the stack that asks for it sets the account-wide API Gateway CloudWatch role', () => {
    Template.fromStack(production).resourceCountIs('AWS::ApiGateway::Account', 1);
    Template.fromStack(staging).resourceCountIs('AWS::ApiGateway::Account', 0);
    const roles = (stack: GatewayStack): number =>
      Object.values(resourcesOf(stack)).filter(
        (r) => r.Type === 'AWS::IAM::Role' && JSON.stringify(r.Properties).includes('apigateway.amazonaws.com'),
      ).length;
    expect(roles(production)).toBe(1);
    expect(roles(staging)).toBe(0);
  });
});
