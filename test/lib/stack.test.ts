import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App, Stack, type CfnElement, type PolicyViolation } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import {
  CATCH_ALL_RESOURCE,
  routes,
  STREAMING_FUNCTIONS,
  type Access,
  type FunctionName,
} from '../../lambdas/api/routes.js';
import { parseConfig } from '../../lambdas/config/load.js';
import type { GatewayConfig } from '../../lambdas/config/schema.js';
import { functionNames, resourcePaths } from '../../lib/api-routes.js';
import { GatewayStack } from '../../lib/gateway-stack.js';
import { DEFAULT_CONFIG_FILE } from '../../lib/paths.js';
import { gatewayTable } from '../../lambdas/store/tables.js';
import { render } from '../helpers/cfn-render.js';

// The real stack, bundled for real (local esbuild, offline), synthesized once for every test in this file.

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } };
  DeletionPolicy?: string;
  DependsOn?: string | string[];
}
interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: unknown;
}
interface PolicyDocument {
  Statement: Statement[];
}

// The repository's configuration: plans default (no quota), free (DAY quota) and pro (MONTH quota), cache TTL 300 s.
const CONFIG_TEXT = readFileSync(DEFAULT_CONFIG_FILE, 'utf8');

let workDir: string;
let outdir: string;
let stack: GatewayStack;
let template: Template;
let resources: Record<string, CfnResource>;
let nagViolations: PolicyViolation[];
let config: GatewayConfig;

/** The stack from `configText` (the repository's configuration unless given). */
function synthGateway(
  context: Record<string, unknown> = {},
  configText = CONFIG_TEXT,
): { app: App; stack: GatewayStack } {
  const app = new App({ outdir: mkdtempSync(join(workDir, 'cdk.out-')), context });
  const dir = configText === CONFIG_TEXT ? workDir : mkdtempSync(join(workDir, 'config-'));
  const configFile = join(dir, 'gateway.config.json');
  writeFileSync(configFile, configText);
  const gateway = new GatewayStack(app, 'TestGateway', { config: parseConfig(configText, configFile), configFile });
  return { app, stack: gateway };
}

/** A stack without bundling, from a configuration built in the test. */
const templateFor = (configText: string): Template =>
  Template.fromStack(synthGateway({ 'aws:cdk:bundling-stacks': [] }, configText).stack);

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'gateway-stack-test-'));
  config = parseConfig(CONFIG_TEXT, DEFAULT_CONFIG_FILE);
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
  integration: {
    Type?: string;
    IntegrationHttpMethod?: string;
    Uri?: unknown;
    ResponseTransferMode?: string;
    TimeoutInMillis?: number;
  };
  authorization: { AuthorizationType: string | undefined; AuthorizerId: unknown; ApiKeyRequired: boolean | undefined };
}

function methods(): MethodView[] {
  const paths = apiResourcePaths();
  return ofType('AWS::ApiGateway::Method').map(([id, resource]) => {
    const p = resource.Properties as Partial<MethodView['authorization']> & {
      HttpMethod: string;
      ResourceId: { Ref?: string };
      Integration: MethodView['integration'];
    };
    const path = paths.get(p.ResourceId.Ref ?? 'root');
    if (path === undefined) throw new Error(`method ${id} on an unknown resource`);
    const { AuthorizationType, AuthorizerId, ApiKeyRequired } = p;
    const authorization = { AuthorizationType, AuthorizerId, ApiKeyRequired };
    return { id, path, httpMethod: p.HttpMethod, integration: p.Integration, authorization };
  });
}

/** The physical name a function was given (only functions invoked by name have one). */
const physicalNameOf = (name: FunctionName): string | undefined =>
  props(logicalIdOfFunction(name)).FunctionName as string | undefined;

/** The ARN by which a function is referenced: its Arn attribute, or an ARN built from its physical name. */
const arnOfFunction = (name: FunctionName): string => {
  const physical = physicalNameOf(name);
  return physical === undefined
    ? `<${logicalIdOfFunction(name)}.Arn>`
    : `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${physical}`;
};

const isStreaming = (name: FunctionName): boolean => (STREAMING_FUNCTIONS as ReadonlySet<FunctionName>).has(name);

/**
 * The integration URI of a Lambda proxy integration to function `name`: Lambda's Invoke API for buffered functions,
 * its InvokeWithResponseStream API (another API version and action) for streaming ones.
 */
const invocationUriOf = (name: FunctionName): string =>
  `arn:<AWS::Partition>:apigateway:<AWS::Region>:lambda:path/` +
  (isStreaming(name)
    ? `2021-11-15/functions/${arnOfFunction(name)}/response-streaming-invocations`
    : `2015-03-31/functions/${arnOfFunction(name)}/invocations`);

/** True when a Lambda proxy integration invokes function `name`, through the invocation API its mode needs. */
function invokes(integration: MethodView['integration'], name: FunctionName): boolean {
  return (
    integration.Type === 'AWS_PROXY' &&
    integration.IntegrationHttpMethod === 'POST' &&
    render(integration.Uri) === invocationUriOf(name)
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

  const permissionsOf = (name: FunctionName): [string, CfnResource][] =>
    ofType('AWS::Lambda::Permission').filter(([, r]) => render(r.Properties?.FunctionName) === arnOfFunction(name));

  // Streaming functions too: InvokeWithResponseStream "requires permission for the lambda:InvokeFunction action" (Lambda
  // API reference); there is no separate IAM action for it.
  test.each(['health', 'docs', 'fallback', 'chat', 'admin', 'usage'] as const)(
    '%s has one API-wide invoke permission (lambda:InvokeFunction), not one per method',
    (name) => {
      const own = permissionsOf(name);
      expect(own).toHaveLength(1);
      expect(own[0]![1].Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
      expect(render(own[0]![1].Properties?.SourceArn)).toBe(
        `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(stack.api)}>/*/*/*`,
      );
    },
  );

  test('the authorizer function may be invoked by API Gateway for its two authorizers only, one permission each', () => {
    const own = permissionsOf('authorizer');
    expect(own).toHaveLength(2);
    const api = `arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${logicalIdOf(stack.api)}>`;
    for (const [, permission] of own) {
      expect(permission.Properties).toMatchObject({
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
      });
    }
    expect(own.map(([, permission]) => render(permission.Properties?.SourceArn)).sort()).toEqual(
      [stack.authorizer!, stack.uncachedAuthorizer!]
        .map((authorizer) => `${api}/authorizers/<${logicalIdOf(authorizer)}>`)
        .sort(),
    );
  });

  test('admin (which reads the usage-plan ids) is invoked by name, so the template has no dependency cycle', () => {
    // admin → usage plans → stage → deployment → methods: a method referencing admin's Arn attribute closes a cycle.
    const admin = logicalIdOfFunction('admin');
    expect(physicalNameOf('admin')).toMatch(/^TestGateway-AdminFunction-[0-9A-F]{8}$/);
    expect(JSON.stringify(methods().map((m) => m.integration))).not.toContain(`"${admin}"`);
    // Its invoke permission names it by ARN, so it must wait for the function explicitly.
    const [[, permission]] = permissionsOf('admin') as [[string, CfnResource]];
    expect(permission.DependsOn).toContain(admin);
    // Template.fromStack refuses a template with a dependency cycle ("Template is undeployable"), naming it.
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});

describe('response streaming', () => {
  const STREAM_TIMEOUT_MS = 15 * 60 * 1000;
  const chatArn = (): string => `<${logicalIdOfFunction('chat')}.Arn>`;
  const methodAt = (method: string, path: string): MethodView => {
    const found = methods().filter((m) => m.path === path && m.httpMethod === method);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test('chat is the one streaming function', () => {
    expect([...STREAMING_FUNCTIONS]).toEqual(['chat']);
  });

  test.each([
    ['POST', '/v1/chat'],
    ['POST', '/v1/chat/completions'],
    ['POST', '/v1/messages'],
    ['POST', '/v1/messages/count_tokens'],
    ['GET', '/v1/models'],
  ])('%s %s streams from chat through InvokeWithResponseStream, for up to 15 minutes', (method, path) => {
    const { integration } = methodAt(method, path);
    expect({ ...integration, Uri: render(integration.Uri) }).toEqual({
      Type: 'AWS_PROXY',
      IntegrationHttpMethod: 'POST',
      ResponseTransferMode: 'STREAM',
      TimeoutInMillis: STREAM_TIMEOUT_MS,
      Uri: `arn:<AWS::Partition>:apigateway:<AWS::Region>:lambda:path/2021-11-15/functions/${chatArn()}/response-streaming-invocations`,
    });
  });

  test('every method of a streaming function streams, every other method is buffered with the default timeout', () => {
    const routed = new Map(routes.map((r) => [`${r.method} ${r.path}`, r.fn]));
    const all = methods();
    expect(all.filter((m) => m.integration.ResponseTransferMode === 'STREAM')).toHaveLength(
      routes.filter((r) => isStreaming(r.fn)).length,
    );
    for (const m of all) {
      const fn = routed.get(`${m.httpMethod} ${m.path}`) ?? 'fallback';
      const { ResponseTransferMode, TimeoutInMillis } = m.integration;
      const expected = isStreaming(fn)
        ? { ResponseTransferMode: 'STREAM', TimeoutInMillis: STREAM_TIMEOUT_MS }
        : { ResponseTransferMode: undefined, TimeoutInMillis: undefined };
      expect({ id: m.id, fn, ResponseTransferMode, TimeoutInMillis }).toEqual({ id: m.id, fn, ...expected });
      expect({ id: m.id, invokesItsFunction: invokes(m.integration, fn) }).toEqual({
        id: m.id,
        invokesItsFunction: true,
      });
    }
  });

  test('no buffered integration uses the streaming invocation API', () => {
    const uris = methods()
      .filter((m) => m.integration.ResponseTransferMode !== 'STREAM')
      .map((m) => render(m.integration.Uri));
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri).toMatch(/:lambda:path\/2015-03-31\/functions\/.+\/invocations$/);
      expect(uri).not.toContain('response-streaming-invocations');
    }
  });

  test('streaming functions run no longer than their integration waits; buffered ones fit in 29 s', () => {
    for (const name of functionNames(routes)) {
      const timeout = props(logicalIdOfFunction(name)).Timeout as number;
      expect({ name, fits: timeout * 1000 <= (isStreaming(name) ? STREAM_TIMEOUT_MS : 29_000) }).toEqual({
        name,
        fits: true,
      });
    }
  });
});

describe('authorization', () => {
  const authorizerRef = (): { Ref: string } => ({ Ref: logicalIdOf(stack.authorizer!) });
  const uncachedAuthorizerRef = (): { Ref: string } => ({ Ref: logicalIdOf(stack.uncachedAuthorizer!) });
  // Anthropic-format routes take x-api-key too, through the authorizer API Gateway does not cache.
  const expectedAuthorization = (access: Access, anthropic: boolean): MethodView['authorization'] => {
    switch (access.kind) {
      case 'open':
        return { AuthorizationType: 'NONE', AuthorizerId: undefined, ApiKeyRequired: undefined };
      case 'admin':
        return { AuthorizationType: 'AWS_IAM', AuthorizerId: undefined, ApiKeyRequired: undefined };
      case 'key':
        return {
          AuthorizationType: 'CUSTOM',
          AuthorizerId: anthropic ? uncachedAuthorizerRef() : authorizerRef(),
          ApiKeyRequired: true,
        };
    }
  };
  const methodOf = (method: string, path: string): MethodView => {
    const found = methods().filter((m) => m.path === path && m.httpMethod === method);
    expect(found).toHaveLength(1);
    return found[0]!;
  };

  test.each(routes.map((route) => [`${route.method} ${route.path}`, route.access.kind, route] as const))(
    '%s (%s) has the authorization of its access',
    (_, __, route) => {
      expect(methodOf(route.method, route.path).authorization).toEqual(
        expectedAuthorization(route.access, route.errorFormat === 'anthropic'),
      );
    },
  );

  test.each([
    ['GET', '/v1/models'],
    ['GET', '/v1/usage'],
    ['POST', '/v1/chat'],
    ['POST', '/v1/chat/completions'],
    ['POST', '/v1/feedback'],
    ['GET', '/v1/requests/{requestId}'],
  ])('%s %s needs the cached gateway-key authorizer (Bearer) and an API key for the usage plans', (method, path) => {
    expect(methodOf(method, path).authorization).toEqual({
      AuthorizationType: 'CUSTOM',
      AuthorizerId: authorizerRef(),
      ApiKeyRequired: true,
    });
  });

  test('POST /v1/messages and its count_tokens (Anthropic format) need the uncached gateway-key authorizer (x-api-key or Bearer) and an API key', () => {
    for (const path of ['/v1/messages', '/v1/messages/count_tokens']) {
      expect(methodOf('POST', path).authorization).toEqual({
        AuthorizationType: 'CUSTOM',
        AuthorizerId: uncachedAuthorizerRef(),
        ApiKeyRequired: true,
      });
    }
    // Derived from the route table: every Anthropic-format key route, and only those.
    const uncached = methods().filter(
      (m) => JSON.stringify(m.authorization.AuthorizerId) === JSON.stringify(uncachedAuthorizerRef()),
    );
    expect(uncached.map((m) => `${m.httpMethod} ${m.path}`).sort()).toEqual(
      routes
        .filter((r) => r.access.kind === 'key' && r.errorFormat === 'anthropic')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  test('every /admin method but the fallback ANY is AWS_IAM, and there are seven', () => {
    const admin = methods().filter((m) => m.path.startsWith('/admin') && m.httpMethod !== 'ANY');
    expect(admin.map((m) => `${m.httpMethod} ${m.path}`).sort()).toEqual([
      'GET /admin/keys',
      'GET /admin/keys/{keyId}',
      'GET /admin/requests/{requestId}',
      'GET /admin/usage',
      'POST /admin/keys',
      'POST /admin/keys/{keyId}/revoke',
      'POST /admin/keys/{keyId}/rotate',
    ]);
    for (const { id, authorization } of admin) {
      expect({ id, type: authorization.AuthorizationType }).toEqual({ id, type: 'AWS_IAM' });
    }
  });

  test('open routes and every fallback ANY method need no authorization', () => {
    const openRoute = (m: MethodView): boolean =>
      routes.some((r) => r.access.kind === 'open' && r.path === m.path && r.method === m.httpMethod);
    const open = methods().filter((m) => m.httpMethod === 'ANY' || openRoute(m));
    expect(open.length).toBe(resourcePaths(routes).length + 1 + routes.filter((r) => r.access.kind === 'open').length);
    for (const method of open) {
      expect({ id: method.id, ...method.authorization }).toEqual({
        id: method.id,
        AuthorizationType: 'NONE',
        AuthorizerId: undefined,
        ApiKeyRequired: undefined,
      });
    }
  });
});

describe('gateway-key authorizers', () => {
  const authorizerProperties = (authorizer: IConstruct): Record<string, unknown> =>
    resources[logicalIdOf(authorizer)]!.Properties as Record<string, unknown>;

  test('two REQUEST authorizers on the authorizer function: one cached on Authorization, one uncached', () => {
    expect(config.auth.cacheTtlSeconds).toBe(300);
    expect(ofType('AWS::ApiGateway::Authorizer')).toHaveLength(2);
    for (const authorizer of [stack.authorizer!, stack.uncachedAuthorizer!]) {
      const properties = authorizerProperties(authorizer);
      expect(properties).toMatchObject({ Type: 'REQUEST', RestApiId: { Ref: logicalIdOf(stack.api) } });
      expect(properties.AuthorizerCredentials).toBeUndefined();
      expect(JSON.stringify(properties.AuthorizerUri)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [logicalIdOfFunction('authorizer'), 'Arn'] }),
      );
    }
  });

  test('the cached one is keyed and cached on Authorization for auth.cacheTtlSeconds', () => {
    expect(authorizerProperties(stack.authorizer!)).toMatchObject({
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: config.auth.cacheTtlSeconds,
    });
  });

  test('the uncached one has TTL 0 and no identity source, so API Gateway calls it for every request', () => {
    // An identity source would be demanded (a request without it: 401 before the function runs); an empty
    // IdentitySource would not mean "none".
    const properties = authorizerProperties(stack.uncachedAuthorizer!);
    expect(properties.AuthorizerResultTtlInSeconds).toBe(0);
    expect('IdentitySource' in properties).toBe(false);
  });

  test('with cacheTtlSeconds 0 there is only the uncached authorizer, for every key route', () => {
    const raw = JSON.parse(CONFIG_TEXT) as { auth: Record<string, unknown> };
    const tested = templateFor(JSON.stringify({ ...raw, auth: { ...raw.auth, cacheTtlSeconds: 0 } }));
    const authorizers = Object.entries(tested.findResources('AWS::ApiGateway::Authorizer'));
    expect(authorizers).toHaveLength(1);
    const [[id, authorizer]] = authorizers as [[string, { Properties: Record<string, unknown> }]];
    expect(authorizer.Properties).toMatchObject({ Type: 'REQUEST', AuthorizerResultTtlInSeconds: 0 });
    expect('IdentitySource' in authorizer.Properties).toBe(false);
    const custom = Object.values(tested.findResources('AWS::ApiGateway::Method')).filter(
      (m) => (m.Properties as Record<string, unknown>).AuthorizationType === 'CUSTOM',
    );
    expect(custom).toHaveLength(routes.filter((r) => r.access.kind === 'key').length);
    for (const method of custom)
      expect((method.Properties as Record<string, unknown>).AuthorizerId).toEqual({ Ref: id });
  });

  test('with cacheTtlSeconds 60 the cached authorizer caches 60 s on Authorization; the other stays uncached', () => {
    const raw = JSON.parse(CONFIG_TEXT) as { auth: Record<string, unknown> };
    const tested = templateFor(JSON.stringify({ ...raw, auth: { ...raw.auth, cacheTtlSeconds: 60 } }));
    const authorizers = Object.values(tested.findResources('AWS::ApiGateway::Authorizer')).map(
      (a) => a.Properties as Record<string, unknown>,
    );
    expect(authorizers.map((p) => [p.AuthorizerResultTtlInSeconds, p.IdentitySource]).sort()).toEqual([
      [0, undefined],
      [60, 'method.request.header.Authorization'],
    ]);
  });
});

describe('REST API', () => {
  test('is regional, with a CloudWatch role for its logs', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  test('takes API keys for the usage plans from the authorizer, not from the client', () => {
    expect(props(logicalIdOf(stack.api)).ApiKeySourceType).toBe('AUTHORIZER');
  });

  test('stage prod traces, logs access as JSON to its own log group, logs errors and publishes metrics', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          DataTraceEnabled: false,
        }),
      ],
    });
    const [[, stage]] = ofType('AWS::ApiGateway::Stage') as [[string, CfnResource]];
    const { DestinationArn, Format } = (
      stage.Properties as {
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [string, string] }; Format: string };
      }
    ).AccessLogSetting;
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
    const rendered = response!.ResponseTemplates['application/json']!.replace(
      '$context.error.messageString',
      JSON.stringify('Missing "thing"'),
    ).replace('$context.error.responseType', 'DEFAULT_4XX');
    expect(JSON.parse(rendered)).toEqual({
      error: { message: 'Missing "thing"', type: errorType, param: null, code: 'DEFAULT_4XX' },
    });
  });

  test.each([
    ['UNAUTHORIZED', '401', 'invalid_request_error', 'invalid_api_key'],
    ['ACCESS_DENIED', '403', 'permission_error', 'access_denied'],
    ['MISSING_AUTHENTICATION_TOKEN', '403', 'permission_error', 'admin_required'],
    ['INVALID_SIGNATURE', '403', 'permission_error', 'admin_required'],
    ['EXPIRED_TOKEN', '403', 'permission_error', 'admin_required'],
    ['THROTTLED', '429', 'rate_limit_error', 'rate_limit_exceeded'],
    ['QUOTA_EXCEEDED', '429', 'rate_limit_error', 'request_quota_exceeded'],
  ])('gateway response %s answers %s with a fixed OpenAI error (%s, %s)', (responseType, status, type, code) => {
    interface GatewayResponseProperties {
      ResponseType: string;
      StatusCode?: string;
      ResponseParameters?: object;
      ResponseTemplates: Record<string, string>;
    }
    const found = ofType('AWS::ApiGateway::GatewayResponse')
      .map(([, r]) => r.Properties as unknown as GatewayResponseProperties)
      .filter((r) => r.ResponseType === responseType);
    expect(found).toHaveLength(1);
    const response = found[0]!;
    expect(response.StatusCode).toBe(status);
    expect(response.ResponseParameters).toEqual({
      'gatewayresponse.header.Content-Type': "'application/json'",
      'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
    });
    const template = response.ResponseTemplates['application/json']!;
    expect(template).not.toMatch(/[$#]/); // a literal body: nothing for VTL to evaluate
    const body = JSON.parse(template) as { error: { message: string } };
    expect(body).toEqual({ error: { message: expect.any(String), type, param: null, code } });
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  test('every gateway response is one of the above, or a default', () => {
    expect(
      ofType('AWS::ApiGateway::GatewayResponse')
        .map(([, r]) => r.Properties?.ResponseType as string)
        .sort(),
    ).toEqual([
      'ACCESS_DENIED',
      'DEFAULT_4XX',
      'DEFAULT_5XX',
      'EXPIRED_TOKEN',
      'INVALID_SIGNATURE',
      'MISSING_AUTHENTICATION_TOKEN',
      'QUOTA_EXCEEDED',
      'THROTTLED',
      'UNAUTHORIZED',
    ]);
  });
});

describe('usage plans', () => {
  interface UsagePlanProperties {
    UsagePlanName: string;
    Throttle: { RateLimit: number; BurstLimit: number };
    Quota?: { Limit: number; Period: string };
    ApiStages: { ApiId: unknown; Stage: unknown }[];
  }
  const usagePlansIn = (t: Template): UsagePlanProperties[] =>
    Object.values(t.findResources('AWS::ApiGateway::UsagePlan')).map((r) => r.Properties as UsagePlanProperties);

  test('one per plan of the configuration, named <stack>-<plan>', () => {
    expect(Object.keys(config.plans).sort()).toEqual(['default', 'free', 'pro']);
    expect(
      usagePlansIn(template)
        .map((p) => p.UsagePlanName)
        .sort(),
    ).toEqual(['TestGateway-default', 'TestGateway-free', 'TestGateway-pro']);
  });

  test.each(['default', 'free', 'pro'])('%s has the plan’s throttle and quota, on the stage of this API', (plan) => {
    const spec = config.plans[plan]!;
    const [found] = usagePlansIn(template).filter((p) => p.UsagePlanName === `TestGateway-${plan}`);
    expect(found).toBeDefined();
    expect(found!.Throttle).toEqual({ RateLimit: spec.rateLimit, BurstLimit: spec.burstLimit });
    expect(found!.Quota).toEqual(
      spec.quota === undefined ? undefined : { Limit: spec.quota.limit, Period: spec.quota.period },
    );
    const stage = { ApiId: { Ref: logicalIdOf(stack.api) }, Stage: { Ref: logicalIdOf(stack.api.deploymentStage) } };
    expect(found!.ApiStages).toEqual([expect.objectContaining(stage)]);
  });

  test('the repository’s plans cover no quota, a DAY quota and a MONTH quota', () => {
    expect(
      usagePlansIn(template)
        .map((p) => p.Quota?.Period ?? 'none')
        .sort(),
    ).toEqual(['DAY', 'MONTH', 'none']);
  });

  test('follow the configuration: other plans, a WEEK quota', () => {
    const raw = JSON.parse(CONFIG_TEXT) as Record<string, unknown>;
    const tested = templateFor(
      JSON.stringify({
        ...raw,
        plans: { basic: { rateLimit: 1.5, burstLimit: 3, quota: { limit: 700, period: 'WEEK' } } },
        auth: { cacheTtlSeconds: 120, defaultPlan: 'basic', rotationGraceSeconds: 60 },
      }),
    );
    expect(usagePlansIn(tested)).toEqual([
      expect.objectContaining({
        UsagePlanName: 'TestGateway-basic',
        Throttle: { RateLimit: 1.5, BurstLimit: 3 },
        Quota: { Limit: 700, Period: 'WEEK' },
      }),
    ]);
    tested.hasResourceProperties('AWS::ApiGateway::Authorizer', { AuthorizerResultTtlInSeconds: 120 });
  });
});

// ---- Lambda ----

describe('functions', () => {
  test('one function per function name of the route table, each Node 22 on arm64 with active tracing', () => {
    // …and the ledger-rebook function, outside the route table (lib/ledger-rebook.ts).
    expect(ofType('AWS::Lambda::Function')).toHaveLength(functionNames(routes).length + 1);
    template.allResourcesProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          NODE_COMPILE_CACHE: '/var/task/.cache',
          GATEWAY_CONFIG_FORM: 'parsed',
          NODE_OPTIONS: Match.absent(),
          POWERTOOLS_SERVICE_NAME: 'llm-gateway',
          POWERTOOLS_METRICS_NAMESPACE: 'LLMGateway/TestGateway',
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

  const variablesOf = (name: FunctionName): Record<string, unknown> =>
    (props(logicalIdOfFunction(name)).Environment as { Variables: Record<string, unknown> }).Variables;

  test('health and chat know the table and the secret; authorizer and admin the table only; the others neither', () => {
    const tableId = logicalIdOf(stack.tableOf(gatewayTable.id));
    const secretId = logicalIdOf(stack.providerSecret);
    expect(variablesOf('health')).toMatchObject({
      [gatewayTable.envVar]: { Ref: tableId },
      PROVIDER_SECRET_ARN: { Ref: secretId },
    });
    expect(variablesOf('chat')).toMatchObject({
      [gatewayTable.envVar]: { Ref: tableId },
      PROVIDER_SECRET_ARN: { Ref: secretId },
    });
    for (const name of ['authorizer', 'admin', 'usage', 'sweeper'] as const) {
      expect(variablesOf(name)[gatewayTable.envVar]).toEqual({ Ref: tableId });
      expect(Object.keys(variablesOf(name))).not.toContain('PROVIDER_SECRET_ARN');
    }
    for (const name of ['docs', 'fallback'] as const) {
      expect(Object.keys(variablesOf(name))).not.toContain(gatewayTable.envVar);
      expect(Object.keys(variablesOf(name))).not.toContain('PROVIDER_SECRET_ARN');
    }
  });

  test('chat alone learns the evaluation bus, by name in EVALUATION_BUS_NAME', () => {
    expect(variablesOf('chat').EVALUATION_BUS_NAME).toEqual({ Ref: logicalIdOf(stack.evaluationBus) });
    for (const name of functionNames(routes).filter((n) => n !== 'chat')) {
      expect(Object.keys(variablesOf(name))).not.toContain('EVALUATION_BUS_NAME');
    }
  });

  test('the evaluation bus is a custom bus of the stack, with its name as an output', () => {
    expect(ofType('AWS::Events::EventBus')).toHaveLength(1);
    template.hasResourceProperties('AWS::Events::EventBus', {
      Description: Match.stringLikeRegexp('evaluation events'),
    });
    template.hasOutput('EvaluationBusName', { Value: { Ref: logicalIdOf(stack.evaluationBus) } });
  });

  test('chat runs up to 5 minutes with 512 MB by default; every other function keeps 10 s and 256 MB', () => {
    expect(props(logicalIdOfFunction('chat'))).toMatchObject({ Timeout: 300, MemorySize: 512 });
    for (const name of functionNames(routes).filter((n) => n !== 'chat')) {
      const { Timeout, MemorySize } = props(logicalIdOfFunction(name));
      expect({ name, Timeout, MemorySize }).toEqual({ name, Timeout: 10, MemorySize: 256 });
    }
  });

  test("functions.chatMemoryMb sets the chat function's memory, and no other function's", () => {
    const raw = JSON.parse(CONFIG_TEXT) as Record<string, unknown>;
    const tested = templateFor(JSON.stringify({ ...raw, functions: { chatMemoryMb: 384 } }));
    const sizes = Object.values(tested.findResources('AWS::Lambda::Function')).map(
      (resource) => (resource as { Properties: { MemorySize?: number } }).Properties.MemorySize,
    );
    expect(sizes.filter((size) => size === 384)).toHaveLength(1);
    expect(sizes.filter((size) => size !== 384 && size !== 256)).toEqual([]);
  });

  test('admin alone learns the usage-plan id of each plan, as JSON in USAGE_PLAN_IDS', () => {
    const ids = JSON.parse(render(variablesOf('admin').USAGE_PLAN_IDS)) as Record<string, string>;
    expect(ids).toEqual(
      Object.fromEntries(
        Object.keys(config.plans).map((plan) => [plan, `<${logicalIdOf(stack.usagePlans.get(plan)!)}>`]),
      ),
    );
    for (const name of functionNames(routes).filter((n) => n !== 'admin')) {
      expect(Object.keys(variablesOf(name))).not.toContain('USAGE_PLAN_IDS');
    }
    // The value of the stack tag on the API keys it creates (llm-gateway usage-plan-keys finds them by it).
    expect(render(variablesOf('admin').STACK_NAME)).toBe(stack.stackName);
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
    // In its parsed form (defaults applied), which the functions read without zod: JSON of what the schema made of it.
    const bundled: unknown = JSON.parse(readFileSync(join(dir, 'gateway.config.json'), 'utf8'));
    expect(bundled).toEqual(JSON.parse(JSON.stringify(parseConfig(CONFIG_TEXT, DEFAULT_CONFIG_FILE))));
    // Split (lib/split-bundle.mjs): the entry index.mjs and the chunks it imports on first use, each with its map.
    const files = readdirSync(dir).filter((file) => file.endsWith('.mjs'));
    expect(files).toContain('index.mjs');
    for (const file of files) {
      expect(file === 'index.mjs' || /^chunk-\w+\.mjs$/.test(file)).toBe(true);
      expect(existsSync(join(dir, `${file}.map`))).toBe(true);
      const code = readFileSync(join(dir, file), 'utf8');
      // CJS dependencies bundled into ESM need a `require`; the banner defines one before any bundled code.
      expect(code.split('\n', 1)[0]).toMatch(
        /^import \{ createRequire as (\w+) \} from 'node:module'; const require = \1\(import\.meta\.url\);$/,
      );
      // node:http and node:https as CommonJS (lib/function-bundle.ts BUILTIN_ALIASES): an ESM import of either loads
      // Node's undici.
      expect(code).not.toMatch(/from\s*["'](node:)?https?["']/);
    }
    // The Lambda Node.js runtime provides the global `awslambda`; a streaming handler (Middy's streamify mode) calls
    // awslambda.streamifyResponse while its module loads, so the probe provides the two members it uses.
    const runtimeGlobal = isStreaming(name)
      ? 'globalThis.awslambda ??= {}; awslambda.streamifyResponse ??= (h) => h; awslambda.HttpResponseStream ??= { from: (s) => s };'
      : '';
    const probe = `${runtimeGlobal} const m = await import(${JSON.stringify(pathToFileURL(join(dir, 'index.mjs')).href)}); process.stdout.write(typeof m.handler);`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        LAMBDA_TASK_ROOT: dir,
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
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
      expect.objectContaining({
        Action: expect.arrayContaining(['secretsmanager:GetSecretValue']),
        Resource: { Ref: secretId },
      }),
    );
    expect(actionsOf(statements).filter((a) => a.startsWith('dynamodb:'))).toEqual(['dynamodb:DescribeTable']);
  });

  test.each(['docs', 'fallback'] as const)('%s has no DynamoDB, Secrets Manager or API Gateway action', (name) => {
    const actions = actionsOf(statementsOfFunction(name));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /^(dynamodb|secretsmanager|apigateway):/.test(a))).toEqual([]);
  });

  /** The statements of a function beyond logs and X-Ray, with resources rendered (<LogicalId.Attr>). */
  const grantsOf = (name: FunctionName): { Action: string[]; Resource: string[] }[] =>
    statementsOfFunction(name)
      .filter((st) => !actionsOf([st]).every((a) => a.startsWith('logs:') || a.startsWith('xray:')))
      .map((st) => {
        expect(st.Effect).toBe('Allow');
        return {
          Action: actionsOf([st]).sort(),
          Resource: (Array.isArray(st.Resource) ? st.Resource : [st.Resource]).map(render).sort(),
        };
      });

  test('the authorizer may get and update items of the table, nothing else', () => {
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    expect(grantsOf('authorizer')).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: [table] },
    ]);
  });

  test('admin may write and query keys (the GSIs by name) and manage usage-plan API keys of its plans', () => {
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    const apigateway = 'arn:<AWS::Partition>:apigateway:<AWS::Region>::';
    const usagePlanKeys = Object.keys(config.plans).map(
      (plan) => `${apigateway}/usageplans/<${logicalIdOf(stack.usagePlans.get(plan)!)}>/keys`,
    );
    expect(usagePlanKeys).toHaveLength(3);
    expect(grantsOf('admin')).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: [table] },
      { Action: ['dynamodb:Query'], Resource: [table, `${table}/index/gsi1`, `${table}/index/gsi2`] },
      { Action: ['apigateway:POST'], Resource: [`${apigateway}/apikeys`, ...usagePlanKeys].sort() },
      { Action: ['apigateway:DELETE'], Resource: [`${apigateway}/apikeys/*`] },
      { Action: ['apigateway:PUT'], Resource: [`${apigateway}/tags/*`] },
    ]);
  });

  test('the sweeper runs every minute from an EventBridge rule, and may only read, update and list (gsi2) items', () => {
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    const rules = ofType('AWS::Events::Rule')
      .map(([, r]) => r.Properties as { ScheduleExpression?: string; Targets?: { Arn: unknown }[] })
      .filter((rule) => rule.ScheduleExpression !== undefined);
    expect(rules).toHaveLength(1);
    expect(rules[0]?.ScheduleExpression).toBe('rate(1 minute)');
    expect(rules[0]?.Targets?.map((target) => render(target.Arn))).toEqual([`<${logicalIdOfFunction('sweeper')}.Arn>`]);
    expect(grantsOf('sweeper')).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: [table] },
      { Action: ['dynamodb:Query'], Resource: [table, `${table}/index/gsi2`] },
    ]);
  });

  test("the ledger aggregator is fed the table's stream (NEW_IMAGE): request record inserts only, exactly-once settings", () => {
    const tableId = logicalIdOf(stack.tableOf(gatewayTable.id));
    expect(props(tableId).StreamSpecification).toEqual({ StreamViewType: 'NEW_IMAGE' });
    const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([, r]) => r.Properties as Record<string, unknown>);
    expect(mappings).toHaveLength(1);
    expect(render(mappings[0]?.FunctionName)).toBe(`<${logicalIdOfFunction('ledger-aggregator')}>`);
    expect(mappings[0]).toMatchObject({
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
      TumblingWindowInSeconds: 60,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: false,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: -1,
      FilterCriteria: {
        Filters: [{ Pattern: JSON.stringify({ eventName: ['INSERT'], dynamodb: { Keys: { sk: { S: ['REQ'] } } } }) }],
      },
    });
    const table = `<${tableId}.Arn>`;
    const stream = `<${tableId}.StreamArn>`;
    expect(grantsOf('ledger-aggregator')).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: [table] },
      { Action: ['dynamodb:ListStreams'], Resource: ['*'] },
      {
        Action: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        Resource: [stream],
      },
    ]);
    const items = statementsOfFunction('ledger-aggregator').find((st) => actionsOf([st]).includes('dynamodb:PutItem'));
    expect(items?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AGG#*', 'USAGE#*', 'QUOTA#*'] },
    });
  });

  test('deferred bookings: a rule on the bus → ledger-rebook (retries, dead letters), which may only put and update items', () => {
    const rebook = stack.ledgerRebook;
    if (rebook === undefined) throw new Error('no ledger-rebook with chat');
    const fn = logicalIdOf(rebook.fn);
    const queue = logicalIdOf(rebook.deadLetters);
    const rule = props(logicalIdOf(rebook.rule));
    expect(render(rule.EventBusName)).toBe(`<${logicalIdOf(stack.evaluationBus)}>`);
    expect(rule.EventPattern).toEqual({ source: ['llm-gateway.ledger'], 'detail-type': ['LedgerBookingDeferred'] });
    expect(rule.Targets).toEqual([
      expect.objectContaining({
        Arn: { 'Fn::GetAtt': [fn, 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
      }),
    ]);
    // A booking the function kept failing on goes to the same queue (Lambda's asynchronous-invocation DLQ).
    expect(props(fn).DeadLetterConfig).toEqual({ TargetArn: { 'Fn::GetAtt': [queue, 'Arn'] } });
    expect(props(queue)).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 });
    const alarm = props(logicalIdOf(rebook.alarm));
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect((alarm.AlarmActions as unknown[]).map(render)).toEqual([`<${logicalIdOf(stack.alarms.topic)}>`]);
    const role = (props(fn).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties?.Roles).includes(JSON.stringify({ Ref: role })))
      .flatMap(([, policy]) => (policy.Properties?.PolicyDocument as PolicyDocument).Statement);
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    expect(
      statements
        .filter((st) => actionsOf([st]).some((a) => a.startsWith('dynamodb:')))
        .map((st) => ({ Action: actionsOf([st]).sort(), Resource: [st.Resource].flat().map(render) })),
    ).toEqual([{ Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], Resource: [table] }]);
    // The chat function learns the bus it defers to (the evaluation bus, EVALUATION_BUS_NAME) and may put events there.
    expect(JSON.stringify(props(logicalIdOfFunction('chat')).Environment)).toContain('EVALUATION_BUS_NAME');
  });

  test('usage may query the table and the key listing index (gsi2), and get and update request records (REQ#…) only', () => {
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    expect(grantsOf('usage')).toEqual([
      { Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], Resource: [table] },
      { Action: ['dynamodb:Query'], Resource: [table, `${table}/index/gsi2`] },
    ]);
    // The item actions hold only for items whose partition key is a request record's: no key, quota or counter.
    const items = statementsOfFunction('usage').find((st) => actionsOf([st]).includes('dynamodb:UpdateItem'));
    expect(items?.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['REQ#*'] } });
    // No other function's item grants carry a condition (theirs are the table's, as before).
    for (const name of functionNames(routes).filter((n) => n !== 'usage' && n !== 'ledger-aggregator')) {
      expect(statementsOfFunction(name).filter((st) => st.Condition !== undefined)).toEqual([]);
    }
  });

  test('health may describe the table and read the secret, and nothing else', () => {
    expect(grantsOf('health').map((g) => g.Action.filter((a) => !a.startsWith('secretsmanager:')))).toEqual([
      ['dynamodb:DescribeTable'],
      [],
    ]);
  });

  test('chat may read the provider secret and write items of the table (quotas, ledger, idempotency), nothing else', () => {
    const secretId = logicalIdOf(stack.providerSecret);
    const table = `<${logicalIdOf(stack.tableOf(gatewayTable.id))}.Arn>`;
    const grants = grantsOf('chat');
    expect(grants).toHaveLength(3);
    const data = grants.find((g) => g.Action.some((a) => a.startsWith('dynamodb:')));
    const secret = grants.find((g) => g.Action.some((a) => a.startsWith('secretsmanager:')));
    // Evaluation events: PutEvents on the stack's bus, no other bus (the default one included).
    expect(grants.find((g) => g.Action.some((a) => a.startsWith('events:')))).toEqual({
      Action: ['events:PutEvents'],
      Resource: [`<${logicalIdOf(stack.evaluationBus)}.Arn>`],
    });
    // TransactWriteItems is authorized as the actions of its items: no action of its own, no Query, no Scan.
    expect(data).toEqual({
      Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: [table],
    });
    expect(secret!.Resource).toEqual([`<${secretId}>`]);
    expect(secret!.Action).toContain('secretsmanager:GetSecretValue');
    expect(secret!.Action.every((a) => /^secretsmanager:(GetSecretValue|DescribeSecret)$/.test(a))).toBe(true);
    expect(actionsOf(statementsOfFunction('chat')).filter((a) => /^apigateway:/.test(a))).toEqual([]);
    // The same secret grant as health's (the readiness check reads the same secret).
    expect(grantsOf('health').filter((g) => g.Action.some((a) => a.startsWith('secretsmanager:')))).toEqual([secret]);
  });

  test('only chat may send events, and only to the evaluation bus', () => {
    for (const name of functionNames(routes).filter((n) => n !== 'chat')) {
      expect(actionsOf(statementsOfFunction(name)).filter((a) => a.startsWith('events:'))).toEqual([]);
    }
  });

  test('function roles carry no managed policy (no AWSLambdaBasicExecutionRole)', () => {
    for (const name of functionNames(routes)) {
      const role = (props(logicalIdOfFunction(name)).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(props(role).ManagedPolicyArns).toBeUndefined();
    }
  });

  test('the only wildcard resources in the stack are X-Ray’s, the stream listing and admin’s API-key deletion', () => {
    const documents = [
      ...ofType('AWS::IAM::Policy').map(([, r]) => r.Properties?.PolicyDocument as PolicyDocument),
      ...ofType('AWS::IAM::Role').flatMap(([, r]) =>
        ((r.Properties?.Policies ?? []) as { PolicyDocument: PolicyDocument }[]).map((p) => p.PolicyDocument),
      ),
    ];
    const statements = documents.flatMap((d) => d.Statement);
    const wildcard = statements.filter((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).includes('*'));
    expect(wildcard.length).toBeGreaterThan(0);
    // dynamodb:ListStreams has no resource-level permission: the aggregator's event source needs it on '*'.
    expect(
      wildcard.filter((s) => !actionsOf([s]).every((a) => a.startsWith('xray:') || a === 'dynamodb:ListStreams')),
    ).toEqual([]);
    const partial = statements
      .flatMap((s) =>
        (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map((r) => ({
          actions: actionsOf([s]),
          resource: render(r),
        })),
      )
      .filter((r) => r.resource !== '*' && r.resource.includes('*'));
    expect(partial).toEqual([
      { actions: ['apigateway:DELETE'], resource: 'arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*' },
      { actions: ['apigateway:PUT'], resource: 'arn:<AWS::Partition>:apigateway:<AWS::Region>::/tags/*' },
    ]);
  });
});

// ---- data ----

describe('DynamoDB and Secrets Manager', () => {
  test('the table follows lambdas/store/tables.ts: keys, GSI, on demand, PITR, TTL', () => {
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

  test('the OpenAI base URL is the stage URL plus /v1, where the /v1/… routes sit; the Anthropic one is the stage URL', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const api = logicalIdOf(stack.api);
    const stageUrl = `https://<${api}>.execute-api.<AWS::Region>.<AWS::URLSuffix>/prod`;
    expect(render(outputs.OpenAIBaseUrl!.Value)).toBe(`${stageUrl}/v1`);
    expect(render(outputs.AnthropicBaseUrl!.Value)).toBe(stageUrl);
    expect(render(outputs.ApiUrl!.Value)).toMatch(/\/$/);
    expect(render(outputs.MetricsNamespace!.Value)).toBe('LLMGateway/TestGateway');
  });
});

describe('removal policy context', () => {
  const synthWith = (removalPolicy: string): Template =>
    Template.fromStack(synthGateway({ removalPolicy, 'aws:cdk:bundling-stacks': [] }).stack);

  test('destroy deletes the table, the secret and the log groups with the stack', () => {
    const destroyed = synthWith('destroy');
    destroyed.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    destroyed.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
    expect(
      Object.values(destroyed.findResources('AWS::Logs::LogGroup')).map((r) => r.DeletionPolicy as unknown),
    ).toEqual(Array(functionNames(routes).length + 2).fill('Delete'));
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
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/tags/*]',
      'AwsSolutions-L1',
      'AwsSolutions-SMG4',
    ]);
    const tooShort = suppressions.filter(
      (s) => s.reason.trim().split(/\s+/).length < 8 || !/[.)]$/.test(s.reason.trim()),
    );
    expect(tooShort).toEqual([]);
  });

  const acknowledgedOn = (logicalId: string): { id: string; reason: string }[] =>
    resources[logicalId]?.Metadata?.cdk_nag?.rules_to_suppress ?? [];

  test('APIG4 is acknowledged on open and fallback methods only; COG4 on every method, with the reason for its access', () => {
    for (const method of methods()) {
      const ids = acknowledgedOn(method.id)
        .map((a) => a.id)
        .sort();
      const cog4 = acknowledgedOn(method.id).find((a) => a.id === 'AwsSolutions-COG4')?.reason ?? '';
      switch (method.authorization.AuthorizationType) {
        case 'NONE':
          expect({ id: method.id, ids }).toEqual({ id: method.id, ids: ['AwsSolutions-APIG4', 'AwsSolutions-COG4'] });
          expect(cog4).toMatch(/^Open by design/);
          break;
        case 'CUSTOM':
          expect({ id: method.id, ids }).toEqual({ id: method.id, ids: ['AwsSolutions-COG4'] });
          expect(cog4).toMatch(/Lambda REQUEST authorizer/);
          break;
        case 'AWS_IAM':
          expect({ id: method.id, ids }).toEqual({ id: method.id, ids: ['AwsSolutions-COG4'] });
          expect(cog4).toMatch(/IAM \(SigV4/);
          break;
        default:
          throw new Error(`method ${method.id} has authorization ${method.authorization.AuthorizationType}`);
      }
    }
  });

  test('the API-key wildcard is acknowledged on admin’s policy only', () => {
    const id = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:<AWS::Region>::/apikeys/*]';
    const holders = Object.keys(resources).filter((logicalId) => acknowledgedOn(logicalId).some((a) => a.id === id));
    expect(holders).toEqual([logicalIdOf(stack.functionOf('admin').executionRole.node.findChild('DefaultPolicy'))]);
  });
});

describe('CORS preflights at the edge', () => {
  const CORS_ORIGINS = ['https://app.example.com', 'http://localhost:5173'];
  const corsConfigText = (): string =>
    JSON.stringify({ ...(JSON.parse(CONFIG_TEXT) as object), cors: { allowedOrigins: CORS_ORIGINS } });
  interface OptionsMethod {
    AuthorizationType?: string;
    ApiKeyRequired?: boolean;
    ResourceId: unknown;
    Integration: {
      Type: string;
      IntegrationResponses: {
        StatusCode: string;
        ResponseParameters?: Record<string, string>;
        ResponseTemplates: Record<string, string>;
      }[];
    };
  }

  test('off by default: no OPTIONS method anywhere (OPTIONS is a 405 from the fallback)', () => {
    expect(methods().filter((m) => m.httpMethod === 'OPTIONS')).toEqual([]);
    const gatewayResponses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
    for (const response of gatewayResponses)
      expect(Object.keys((response.Properties as { ResponseParameters: object }).ResponseParameters)).not.toContain(
        'gatewayresponse.header.Access-Control-Allow-Origin',
      );
  });

  test('cors.allowedOrigins: a keyless mock OPTIONS on every resource and the catch-all, echoing only listed origins', () => {
    const built = synthGateway({ 'aws:cdk:bundling-stacks': [] }, corsConfigText());
    const corsTemplate = Template.fromStack(built.stack);
    const options = Object.values(corsTemplate.findResources('AWS::ApiGateway::Method')).filter(
      (m) => (m.Properties as { HttpMethod: string }).HttpMethod === 'OPTIONS',
    );
    expect(options).toHaveLength(resourcePaths(routes).length + 1);
    expect(built.stack.corsPreflights).toHaveLength(options.length);
    for (const method of options) {
      const p = method.Properties as OptionsMethod;
      expect({ auth: p.AuthorizationType, key: p.ApiKeyRequired ?? false, type: p.Integration.Type }).toEqual({
        auth: 'NONE',
        key: false,
        type: 'MOCK',
      });
      const [response] = p.Integration.IntegrationResponses;
      expect(response?.StatusCode).toBe('204');
      // No static Access-Control-Allow-Origin: an unlisted origin gets a bare 204.
      expect(response?.ResponseParameters).toEqual({ 'method.response.header.Vary': "'Origin'" });
      const vtl = response?.ResponseTemplates['application/json'] ?? '';
      for (const origin of CORS_ORIGINS) {
        expect(vtl).toContain(`"$!origin" == "${origin}"`);
        expect(vtl).toContain(`Access-Control-Allow-Origin = "${origin}"`);
      }
      expect(vtl).not.toContain('Access-Control-Allow-Origin = $origin');
      for (const name of [
        'Authorization',
        'x-api-key',
        'Content-Type',
        'anthropic-version',
        'anthropic-beta',
        'Idempotency-Key',
        'X-Request-Id',
      ])
        expect(vtl).toContain(name);
      expect(vtl).not.toContain('Allow-Credentials');
    }
    // API Gateway's own answers (401, 429, 4XX/5XX) carry CORS headers too: several origins → the request's Origin.
    const gatewayResponses = Object.values(corsTemplate.findResources('AWS::ApiGateway::GatewayResponse'));
    expect(gatewayResponses.length).toBeGreaterThan(2);
    for (const response of gatewayResponses) {
      const parameters = (response.Properties as { ResponseParameters: Record<string, string> }).ResponseParameters;
      expect(parameters['gatewayresponse.header.Access-Control-Allow-Origin']).toBe('method.request.header.Origin');
      expect(parameters['gatewayresponse.header.Vary']).toBe("'Origin'");
    }
    const nag = new AwsSolutionsChecks(built.app, { verbose: true });
    const findings = nag
      .validateScope(built.app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });
});
