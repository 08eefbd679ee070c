import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack, type CfnElement, type PolicyViolation } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { CATCH_ALL_RESOURCE, routes, type FunctionName } from '../lambdas/api/routes.js';
import { parseConfig } from '../lambdas/config/load.js';
import { functionNames, resourcePaths } from '../lib/api-routes.js';
import { GatewayStack } from '../lib/gateway-stack.js';
import { gatewayTable } from '../lib/tables.js';

// The real stack, bundled for real (local esbuild, offline), synthesized once for every test in this file.

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
  DeletionPolicy?: string;
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
}
interface PolicyDocument {
  Statement: Statement[];
}

const CONFIG_TEXT = '{"providers":{"echo":{"type":"echo"}},"models":{"demo":{"targets":[{"provider":"echo","model":"echo-1"}]}}}';

let workDir: string;
let outdir: string;
let stack: GatewayStack;
let template: Template;
let resources: Record<string, CfnResource>;
let nagViolations: PolicyViolation[];

function synthGateway(context: Record<string, unknown> = {}): { app: App; stack: GatewayStack } {
  const app = new App({ outdir: mkdtempSync(join(workDir, 'cdk.out-')), context });
  const configFile = join(workDir, 'gateway.config.json');
  const gateway = new GatewayStack(app, 'TestGateway', { config: parseConfig(CONFIG_TEXT, configFile), configFile });
  return { app, stack: gateway };
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gateway-stack-test-'));
  writeFileSync(join(workDir, 'gateway.config.json'), CONFIG_TEXT);
  const built = synthGateway();
  stack = built.stack;
  // As bin/app.ts does, minus the registration as a synth plugin: the report is read below, so a finding fails one
  // test with its list instead of failing the synthesis every other test needs.
  const nag = new AwsSolutionsChecks(built.app, { verbose: true, writeSuppressionsToCloudFormation: true });
  outdir = built.app.synth().directory;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, CfnResource>;
  nagViolations = nag.validateScope(built.app).violations;
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

// ---- helpers reading the template ----

const logicalIdOf = (construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);
const logicalIdOfFunction = (name: FunctionName): string => logicalIdOf(stack.functionOf(name));

const ofType = (type: string): [string, CfnResource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

const props = (logicalId: string): Record<string, unknown> => {
  const resource = resources[logicalId];
  if (resource === undefined) throw new Error(`no resource ${logicalId}`);
  return resource.Properties ?? {};
};

/** Full path of every API Gateway resource (root included), by logical id; `root` keys the RestApi's root. */
function apiResourcePaths(): Map<string, string> {
  const paths = new Map<string, string>([['root', '/']]);
  const pathOf = (id: string): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const { ParentId, PathPart } = props(id) as { ParentId: { Ref?: string }; PathPart: string };
    const parent = ParentId.Ref === undefined ? '/' : pathOf(ParentId.Ref);
    const path = `${parent === '/' ? '' : parent}/${PathPart}`;
    paths.set(id, path);
    return path;
  };
  for (const [id] of ofType('AWS::ApiGateway::Resource')) pathOf(id);
  return paths;
}

interface MethodView {
  id: string;
  path: string;
  httpMethod: string;
  integration: { Type?: string; IntegrationHttpMethod?: string; Uri?: unknown };
}

function methods(): MethodView[] {
  const paths = apiResourcePaths();
  return ofType('AWS::ApiGateway::Method').map(([id, resource]) => {
    const p = resource.Properties as { HttpMethod: string; ResourceId: { Ref?: string }; Integration: MethodView['integration'] };
    const path = paths.get(p.ResourceId.Ref ?? 'root');
    if (path === undefined) throw new Error(`method ${id} on an unknown resource`);
    return { id, path, httpMethod: p.HttpMethod, integration: p.Integration };
  });
}

/** True when a Lambda proxy integration invokes function `name`. */
function invokes(integration: MethodView['integration'], name: FunctionName): boolean {
  return (
    integration.Type === 'AWS_PROXY' &&
    integration.IntegrationHttpMethod === 'POST' &&
    JSON.stringify(integration.Uri).includes(JSON.stringify({ 'Fn::GetAtt': [logicalIdOfFunction(name), 'Arn'] }))
  );
}

/** Every IAM statement that applies to the role of function `name`: its inline policies and attached policies. */
function statementsOfFunction(name: FunctionName): Statement[] {
  const role = (props(logicalIdOfFunction(name)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const inline = ((props(role).Policies ?? []) as { PolicyDocument: PolicyDocument }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify({ Ref: role })))
    .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as PolicyDocument).Statement);
  return [...inline, ...attached];
}

const actionsOf = (statements: Statement[]): string[] =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

const assetDirOf = (name: FunctionName): string => {
  const key = (props(logicalIdOfFunction(name)).Code as { S3Key: string }).S3Key;
  return join(outdir, `asset.${key.replace(/\.zip$/, '')}`);
};

// ---- API Gateway ----

describe('routes', () => {
  test.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s is a method with a Lambda proxy integration to its function',
    (_, route) => {
      const found = methods().filter((m) => m.path === route.path && m.httpMethod === route.method);
      expect(found).toHaveLength(1);
      expect(invokes(found[0]!.integration, route.fn)).toBe(true);
    },
  );

  test('the API has exactly the resources the route table needs, plus the catch-all', () => {
    const created = [...apiResourcePaths().values()].sort();
    expect(created).toEqual([...resourcePaths(routes), CATCH_ALL_RESOURCE].sort());
  });

  test('every resource has ANY → fallback, and /{proxy+} serves only ANY', () => {
    const all = methods();
    for (const path of apiResourcePaths().values()) {
      const any = all.filter((m) => m.path === path && m.httpMethod === 'ANY');
      expect({ path, count: any.length }).toEqual({ path, count: 1 });
      expect({ path, fallback: invokes(any[0]!.integration, 'fallback') }).toEqual({ path, fallback: true });
    }
    expect(all.filter((m) => m.path === CATCH_ALL_RESOURCE).map((m) => m.httpMethod)).toEqual(['ANY']);
  });

  test('each function has one API-wide invoke permission, not one per method', () => {
    const permissions = ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties ?? {});
    for (const name of functionNames(routes)) {
      const own = permissions.filter((p) => JSON.stringify(p.FunctionName).includes(logicalIdOfFunction(name)));
      expect(own).toHaveLength(1);
      expect(own[0]).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    }
  });
});

describe('REST API', () => {
  test('is regional, with a CloudWatch role for its logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  test('stage v1 traces, logs access as JSON to its own log group, logs errors and publishes metrics', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'ERROR', MetricsEnabled: true, DataTraceEnabled: false }),
      ],
    });
    const [[, stage]] = ofType('AWS::ApiGateway::Stage') as [[string, CfnResource]];
    const { DestinationArn, Format } = (stage.Properties as {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
    }).AccessLogSetting;
    const accessLogs = DestinationArn['Fn::GetAtt'][0];
    expect(resources[accessLogs]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    for (const name of functionNames(routes)) {
      expect(props(logicalIdOfFunction(name)).LoggingConfig).not.toEqual({ LogGroup: { Ref: accessLogs } });
    }
    expect(Object.keys(JSON.parse(Format) as object)).toEqual(
      expect.arrayContaining(['requestId', 'status', 'errorType', 'integrationError']),
    );
  });

  test.each([
    ['DEFAULT_4XX', 'invalid_request_error'],
    ['DEFAULT_5XX', 'api_error'],
  ])('gateway response %s answers in the OpenAI error shape (%s)', (responseType, errorType) => {
    const [response] = ofType('AWS::ApiGateway::GatewayResponse')
      .map(([, r]) => r.Properties as { ResponseType: string; ResponseTemplates: Record<string, string> })
      .filter((r) => r.ResponseType === responseType);
    expect(response).toBeDefined();
    // What API Gateway renders: messageString is a quoted JSON string, responseType a bare token.
    const rendered = response!.ResponseTemplates['application/json']!
      .replace('$context.error.messageString', JSON.stringify('Missing "thing"'))
      .replace('$context.error.responseType', 'DEFAULT_4XX');
    expect(JSON.parse(rendered)).toEqual({
      error: { message: 'Missing "thing"', type: errorType, param: null, code: 'DEFAULT_4XX' },
    });
  });
});

// ---- Lambda ----

describe('functions', () => {
  test('one function per function name of the route table, each Node 22 on arm64 with active tracing', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(functionNames(routes).length);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          NODE_OPTIONS: '--enable-source-maps',
          POWERTOOLS_SERVICE_NAME: 'llm-gateway',
          POWERTOOLS_METRICS_NAMESPACE: 'LLMGateway',
        }),
      },
    });
  });

  test.each(functionNames(routes))('%s logs to its own log group kept one month', (name) => {
    const logGroup = (props(logicalIdOfFunction(name)).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(resources[logGroup]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    const logs = statementsOfFunction(name).filter((s) => actionsOf([s]).some((a) => a.startsWith('logs:')));
    expect(logs).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] },
      },
    ]);
  });

  test('health knows the table and the secret; the others know neither', () => {
    const tableId = logicalIdOf(stack.tableOf(gatewayTable.id));
    const secretId = logicalIdOf(stack.providerSecret);
    expect((props(logicalIdOfFunction('health')).Environment as { Variables: object }).Variables).toMatchObject({
      [gatewayTable.envVar]: { Ref: tableId },
      PROVIDER_SECRET_ARN: { Ref: secretId },
    });
    for (const name of ['docs', 'fallback'] as const) {
      const variables = Object.keys((props(logicalIdOfFunction(name)).Environment as { Variables: object }).Variables);
      expect(variables).not.toContain(gatewayTable.envVar);
      expect(variables).not.toContain('PROVIDER_SECRET_ARN');
    }
  });

  test('docs points SWAGGER_UI_DIR at the copied Swagger UI files', () => {
    expect((props(logicalIdOfFunction('docs')).Environment as { Variables: object }).Variables).toMatchObject({
      SWAGGER_UI_DIR: '/var/task/swagger-ui',
    });
    for (const file of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      expect(existsSync(join(assetDirOf('docs'), 'swagger-ui', file))).toBe(true);
    }
  });

  test.each(functionNames(routes))('the %s bundle is ESM, carries the configuration and loads in Node', (name) => {
    const dir = assetDirOf(name);
    expect(readFileSync(join(dir, 'gateway.config.json'), 'utf8')).toBe(CONFIG_TEXT);
    expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
    // CJS dependencies bundled into ESM need a `require`; the banner defines one before any bundled code.
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8').split('\n', 1)[0]).toMatch(
      /^import \{ createRequire as (\w+) \} from 'node:module'; const require = \1\(import\.meta\.url\);$/,
    );
    const probe = `const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1', LAMBDA_TASK_ROOT: dir, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    });
    expect(out).toBe('function');
  });
});

// ---- IAM ----

describe('IAM', () => {
  test('health may describe the table and read the secret, on those resources only', () => {
    const tableId = logicalIdOf(stack.tableOf(gatewayTable.id));
    const secretId = logicalIdOf(stack.providerSecret);
    const statements = statementsOfFunction('health');
    expect(statements).toContainEqual({
      Effect: 'Allow',
      Action: 'dynamodb:DescribeTable',
      Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({ Action: expect.arrayContaining(['secretsmanager:GetSecretValue']), Resource: { Ref: secretId } }),
    );
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:DescribeTable']);
  });

  test.each(['docs', 'fallback'] as const)('%s has no DynamoDB or Secrets Manager action', (name) => {
    const actions = actionsOf(statementsOfFunction(name));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => a.startsWith('dynamodb:') || a.startsWith('secretsmanager:'))).toEqual([]);
  });

  test('function roles carry no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    for (const name of functionNames(routes)) {
      const role = (props(logicalIdOfFunction(name)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(props(role).ManagedPolicyArns).toBeUndefined();
    }
  });

  test('the only wildcard resource in the stack is for X-Ray', () => {
    const documents = [
      ...ofType('AWS::IAM::Policy').map(([, r]) => r.Properties?.PolicyDocument as PolicyDocument),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) =>
        ((r.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument),
      ),
    ];
    const wildcard = documents
      .flatMap((d) => d.Statement)
      .filter((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).includes('*'));
    expect(wildcard.length).toBeGreaterThan(0);
    expect(wildcard.filter((s) => !actionsOf([s]).every((a) => a.startsWith('xray:')))).toEqual([]);
  });
});

// ---- data ----

describe('DynamoDB and Secrets Manager', () => {
  test('the table follows lib/tables.ts: keys, GSI, on demand, PITR, TTL', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: gatewayTable.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: gatewayTable.sortKey.name, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: gatewayTable.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: gatewayTable.globalIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
  });

  test('stateful resources are retained by default', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  test('the provider secret starts as {} and says how to fill it', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: '{}',
      Description: Match.stringLikeRegexp('JSON object mapping each provider name'),
    });
  });

  test('outputs name the API URL, the secret and the table', () => {
    for (const name of ['ApiUrl', 'ProviderSecretArn', 'TableName']) template.hasOutput(name, {});
  });
});

describe('removal policy context', () => {
  const synthWith = (removalPolicy: string): Template =>
    Template.fromStack(synthGateway({ removalPolicy, 'aws:cdk:bundling-stacks': [] }).stack);

  test('destroy deletes the table, the secret and the log groups with the stack', () => {
    const destroyed = synthWith('destroy');
    destroyed.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    destroyed.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    expect(Object.values(destroyed.findResources('AWS::Logs::LogGroup')).map((r) => r.DeletionPolicy as unknown)).toEqual(
      Array(functionNames(routes).length + 1).fill('Delete'),
    );
  });

  test.each([
    ['snapshot', /cannot snapshot a DynamoDB table/],
    ['keep', /must be "retain" or "destroy"/],
  ])('%s is refused with a reason', (value, message) => {
    expect(() => synthWith(value)).toThrow(message);
  });
});

// ---- cdk-nag ----

describe('cdk-nag AwsSolutions', () => {
  test('reports no finding', () => {
    const findings = nagViolations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
    );
    expect(findings).toEqual([]);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
  });

  test('would report an unacknowledged finding (the check is live)', () => {
    const app = new App();
    const probe = new Stack(app, 'Probe');
    new Secret(probe, 'Unrotated');
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toContain('AwsSolutions-SMG4');
  });

  test('acknowledges exactly the documented rules, each with a reason of at least a sentence', () => {
    const suppressions = Object.values(resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect([...new Set(suppressions.map((s) => s.id))].sort()).toEqual([
      'AwsSolutions-APIG2',
      'AwsSolutions-APIG3',
      'AwsSolutions-APIG4',
      'AwsSolutions-COG4',
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
    ]);
    const tooShort = suppressions.filter((s) => s.reason.trim().split(/\s+/).length < 8 || !/[.)]$/.test(s.reason.trim()));
    expect(tooShort).toEqual([]);
  });
});
