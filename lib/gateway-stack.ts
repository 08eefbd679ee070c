import { ArnFormat, Aws, CfnOutput, Names, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type LambdaIntegration,
  type Method,
  type MethodOptions,
  type RequestAuthorizer,
  type RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { CfnFunction, CfnPermission, Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { routes as defaultRoutes, type Access, type FunctionName, type RouteSpec } from '../lambdas/api/routes.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import {
  addRoutes,
  AUTHORIZER_FUNCTION,
  functionNames,
  needsAuthorizer,
  SWEEPER_FUNCTION,
  type RouteMethod,
} from './api-routes.js';
import { scheduleSweeper } from './sweeper-schedule.js';
import { createTable } from './dynamo-tables.js';
import { FinanceDashboard } from './finance-dashboard.js';
import { alarmNamePrefix, createGatewayAlarms, type GatewayAlarms } from './gateway-alarms.js';
import { createLedgerRebook, type LedgerRebook } from './ledger-rebook.js';
import { createGatewayApi } from './gateway-api.js';
import { GatewayFunction } from './function-construct.js';
import { assertDeadlinesFit } from './deadline-fit.js';
import { functionSpecs } from './function-specs.js';
import { authorizerFor, createKeyAuthorizers, type KeyAuthorizers } from './key-authorizer.js';
import { keyIntakeOf } from '../lambdas/auth/key-intake.js';
import { lambdaIntegration } from './lambda-integrations.js';
import { addCorsPreflights } from './cors-preflight.js';
import { bedrockAccess } from './bedrock-access.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { createProviderSecret } from './provider-secret.js';
import { REMOVAL_POLICY_CONTEXT_KEY, removalPolicies } from './removal-policy.js';
import { gatewayTable, tables as tableDefinitions } from '../lambdas/store/tables.js';
import { createUsagePlans } from './usage-plans.js';

export interface GatewayStackProps extends StackProps {
  /** The validated gateway configuration: `plans` become usage plans, `auth` configures the authorizer. */
  readonly config: GatewayConfig;
  /** The file `config` was read from; every function bundle carries a copy. */
  readonly configFile: string;
  /** The route table; defaults to the gateway's. */
  readonly routes?: readonly RouteSpec[];
}

const constructId = (fn: string): string => `${fn.charAt(0).toUpperCase()}${fn.slice(1)}Function`;

/**
 * The LLM Gateway: REST API → one Lambda per function of the route table (streamed responses for the functions of
 * STREAMING_FUNCTIONS), a Lambda REQUEST authorizer for gateway keys, one usage plan per configured plan, DynamoDB,
 * the provider-key secret, the finance dashboard and the alarms (an encrypted SNS topic).
 */
export class GatewayStack extends Stack {
  readonly config: GatewayConfig;
  readonly api: RestApi;
  readonly tables: ReadonlyMap<string, Table>;
  readonly providerSecret: Secret;
  /** The bus the chat function sends evaluation events to (README, "Evaluation hooks"). */
  readonly evaluationBus: EventBus;
  readonly functions: ReadonlyMap<FunctionName, GatewayFunction>;
  /**
   * The gateway-key authorizer API Gateway caches per Authorization (`bearer` routes, lambdas/auth/key-intake.ts);
   * undefined when no route uses it.
   */
  readonly authorizer: RequestAuthorizer | undefined;
  /** The uncached gateway-key authorizer (`bearer-or-x-api-key` routes: x-api-key or Bearer); undefined when none. */
  readonly uncachedAuthorizer: RequestAuthorizer | undefined;
  /** One usage plan per plan of the configuration, by plan name. */
  readonly usagePlans: ReadonlyMap<string, UsagePlan>;
  /** Every API method the stack created, with the function serving it and its access. */
  readonly routeMethods: readonly RouteMethod[];
  /** The OPTIONS methods answering CORS preflights at the edge (none while `cors.allowedOrigins` is empty). */
  readonly corsPreflights: readonly Method[];
  /** The alarms of `alarms` in the configuration and the SNS topic they notify. */
  readonly alarms: GatewayAlarms;
  /** Where deferred bookings are written (with chat): the rule on the bus, the function, its dead letters and alarm. */
  readonly ledgerRebook: LedgerRebook | undefined;
  /** The CloudWatch dashboard `<stack>-finance`. */
  readonly financeDashboard: FinanceDashboard;
  /** Integration targets that reference a function by name (see `integrationTarget`), with the function. */
  private readonly byName = new Map<IFunction, GatewayFunction>();

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    assertDeadlinesFit(props.config, props.configFile);
    this.config = props.config;
    const routeTable = props.routes ?? defaultRoutes;
    const removal = removalPolicies(this.node.tryGetContext(REMOVAL_POLICY_CONTEXT_KEY));

    this.tables = new Map(tableDefinitions.map((def) => [def.id, createTable(this, def, removal.data)]));
    this.providerSecret = createProviderSecret(this, removal.data);
    this.evaluationBus = new EventBus(this, 'EvaluationBus', {
      description:
        'LLM Gateway evaluation events: one per sampled chat request (source llm-gateway, detail-type chat.request.completed)',
    });

    const bedrock = bedrockAccess(
      props.config,
      { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID },
      props.configFile,
    );
    const functions = new Map<FunctionName, GatewayFunction>();
    for (const name of functionNames(routeTable)) {
      const spec = functionSpecs[name];
      const fn = new GatewayFunction(this, constructId(name), {
        name,
        configFile: props.configFile,
        logRemovalPolicy: removal.logs,
        ...(spec.files === undefined ? {} : { files: spec.files }),
        ...(spec.environment === undefined ? {} : { environment: spec.environment }),
        ...(spec.memorySize === undefined ? {} : { memorySize: spec.memorySize }),
        ...(spec.timeout === undefined ? {} : { timeout: spec.timeout }),
      });
      if (spec.table !== 'none') {
        for (const def of tableDefinitions) fn.grantTableAccess(this.tableOf(def.id), def, spec.table);
      }
      if (spec.providerSecret === 'read') fn.grantProviderSecretRead(this.providerSecret);
      if (spec.evaluationEvents === 'put') fn.grantEvaluationEvents(this.evaluationBus);
      if (spec.bedrock === 'invoke') fn.grantBedrock(bedrock);
      functions.set(name, fn);
    }
    this.functions = functions;

    if (functions.has(SWEEPER_FUNCTION)) scheduleSweeper(this, this.functionOf(SWEEPER_FUNCTION));

    this.api = createGatewayApi(this, removal.logs);
    const authorizers: KeyAuthorizers = needsAuthorizer(routeTable)
      ? createKeyAuthorizers(this, this.functionOf(AUTHORIZER_FUNCTION), props.config.auth, routeTable)
      : { cached: undefined, uncached: undefined };
    this.authorizer = authorizers.cached;
    this.uncachedAuthorizer = authorizers.uncached;

    const integrations = new Map<FunctionName, LambdaIntegration>();
    this.routeMethods = addRoutes(
      this.api,
      routeTable,
      (name) => {
        let integration = integrations.get(name);
        if (integration === undefined) {
          // STREAM transfer mode for the functions of STREAMING_FUNCTIONS, buffered for the others.
          const timeout = this.functionOf(name).timeout;
          if (timeout === undefined) throw new Error(`Function ${name} has no timeout`);
          integration = lambdaIntegration(name, this.integrationTarget(name), timeout);
          integrations.set(name, integration);
        }
        return integration;
      },
      (access, route) => this.authorizationOf(access, route, authorizers),
    );
    this.corsPreflights = addCorsPreflights(this.api, routeTable, props.config.cors);

    this.usagePlans = createUsagePlans(this, this.api, props.config.plans);
    const usagePlanIds = Object.fromEntries(
      [...this.usagePlans].map(([plan, usagePlan]) => [plan, usagePlan.usagePlanId]),
    );
    for (const [name, fn] of functions) {
      if (functionSpecs[name].usagePlans === 'manage') fn.grantUsagePlanKeys(usagePlanIds);
    }
    this.orderInvokePermissions();

    const chat = functions.get('chat');
    const requestPath = { functions: chat === undefined ? [] : [chat], authorizer: functions.get(AUTHORIZER_FUNCTION) };
    this.alarms = createGatewayAlarms(this, props.config.alarms, removal.data, requestPath);
    this.ledgerRebook =
      chat === undefined
        ? undefined
        : createLedgerRebook(this, {
            bus: this.evaluationBus,
            table: this.tableOf(gatewayTable.id),
            configFile: props.configFile,
            logRemovalPolicy: removal.logs,
            topic: this.alarms.topic,
            alarmNamePrefix: alarmNamePrefix(this),
          });
    this.financeDashboard = new FinanceDashboard(this, 'FinanceDashboard', {
      config: props.config,
      chatLogGroup: functions.get('chat')?.logGroup,
      alarms: [
        this.alarms.errorRate,
        this.alarms.functionFailures,
        ...(this.alarms.hourlyCost === undefined ? [] : [this.alarms.hourlyCost]),
      ],
    });

    applyNagSuppressions(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the gateway API (stage v1)' });
    new CfnOutput(this, 'ProviderSecretArn', {
      value: this.providerSecret.secretArn,
      description: 'Put the provider keys here: a JSON object {"<provider>": "<key>"}',
    });
    new CfnOutput(this, 'TableName', { value: this.tableOf(gatewayTable.id).tableName });
    new CfnOutput(this, 'FinanceDashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards/dashboard/${this.financeDashboard.dashboardName}`,
      description:
        'CloudWatch dashboard: spend by model alias, plan and tenant; traffic, errors, latency, tokens; alarms',
    });
    new CfnOutput(this, 'EvaluationBusName', {
      value: this.evaluationBus.eventBusName,
      description:
        'EventBridge bus of the evaluation events: add rules here to route them (to SQS, Firehose, a Lambda, …)',
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarms.topic.topicArn,
      description: 'SNS topic of the gateway alarms: subscribe here (or set alarms.email in the configuration)',
    });
  }

  tableOf(id: string): Table {
    const table = this.tables.get(id);
    if (table === undefined) throw new Error(`No table ${id} in this stack`);
    return table;
  }

  functionOf(name: FunctionName): GatewayFunction {
    const fn = this.functions.get(name);
    if (fn === undefined) throw new Error(`No function ${name} in this stack`);
    return fn;
  }

  /**
   * Open routes and the fallback: NONE; key routes: the authorizer of the route's key intake, metered by usage plans;
   * admin routes: IAM.
   */
  private authorizationOf(access: Access, route: RouteSpec | undefined, authorizers: KeyAuthorizers): MethodOptions {
    switch (access.kind) {
      case 'open':
        return { authorizationType: AuthorizationType.NONE };
      case 'admin':
        return { authorizationType: AuthorizationType.IAM };
      case 'key': {
        const authorizer =
          route === undefined
            ? undefined
            : authorizerFor(authorizers, keyIntakeOf(route, this.config.auth.cacheTtlSeconds));
        if (authorizer === undefined) throw new Error('A key route needs its authorizer');
        // apiKeyRequired makes the usage plans apply, to the API key the authorizer returns as usageIdentifierKey.
        return { authorizationType: AuthorizationType.CUSTOM, authorizer, apiKeyRequired: true };
      }
    }
  }

  /**
   * What an integration invokes. A function that learns the usage-plan ids (USAGE_PLAN_IDS) depends on the usage
   * plans, which depend on the stage, its deployment and every method; a method invoking that function through
   * `Fn::GetAtt` would close a dependency cycle. So such a function gets a physical name and its methods invoke it
   * by an ARN built from that name; `orderInvokePermissions` still creates its invoke permission after it.
   */
  private integrationTarget(name: FunctionName): IFunction {
    const fn = this.functionOf(name);
    if (functionSpecs[name].usagePlans !== 'manage') return fn;
    const physicalName = Names.uniqueResourceName(fn, { maxLength: 64, separator: '-' });
    (fn.node.defaultChild as CfnFunction).functionName = physicalName;
    const arn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: physicalName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const target = LambdaFunction.fromFunctionAttributes(this, `${constructId(name)}ByName`, {
      functionArn: arn,
      sameEnvironment: true,
    });
    this.byName.set(target, fn);
    return target;
  }

  /** Invoke permissions on a function referenced by name must not be created before the function. */
  private orderInvokePermissions(): void {
    for (const [target, fn] of this.byName) {
      const permissions = this.api.node
        .findAll()
        .filter((c): c is CfnPermission => c instanceof CfnPermission && c.functionName === target.functionArn);
      if (permissions.length === 0) throw new Error(`No invoke permission for ${fn.node.path}`);
      for (const permission of permissions) permission.node.addDependency(fn);
    }
  }
}
