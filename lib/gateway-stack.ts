import { ArnFormat, Aws, Names, Stack, type StackProps } from 'aws-cdk-lib';
import {
  type LambdaIntegration,
  type Method,
  type RequestAuthorizer,
  type RestApi,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus } from 'aws-cdk-lib/aws-events';
import { CfnFunction, CfnPermission, Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { routes as defaultRoutes, type FunctionName, type RouteSpec } from '../lambdas/api/routes.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import {
  addRoutes,
  AUTHORIZER_FUNCTION,
  functionNames,
  needsAuthorizer,
  SWEEPER_FUNCTION,
  AGGREGATOR_FUNCTION,
  type RouteMethod,
} from './api-routes.js';
import { scheduleSweeper } from './sweeper-schedule.js';
import { feedLedgerAggregator } from './ledger-stream.js';
import { createTable } from './dynamo-tables.js';
import { FinanceDashboard } from './finance-dashboard.js';
import { alarmNamePrefix, createGatewayAlarms, type GatewayAlarms } from './gateway-alarms.js';
import { createLedgerRebook, type LedgerRebook } from './ledger-rebook.js';
import { createBudgetTopic } from './budget-topic.js';
import { createGatewayApi } from './gateway-api.js';
import { GatewayFunction } from './function-construct.js';
import { assertDeadlinesFit } from './deadline-fit.js';
import { functionSpecs } from './function-specs.js';
import { createKeyAuthorizers, type KeyAuthorizers } from './key-authorizer.js';
import { authorizationOf } from './method-authorization.js';
import { lambdaIntegration } from './lambda-integrations.js';
import { addCorsPreflights } from './cors-preflight.js';
import { bedrockAccess } from './bedrock-access.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { createProviderSecret } from './provider-secret.js';
import { REMOVAL_POLICY_CONTEXT_KEY, removalPolicies } from './removal-policy.js';
import { gatewayTable, tables as tableDefinitions } from '../lambdas/store/tables.js';
import { createUsagePlans } from './usage-plans.js';
import { DEFAULT_STAGE, metricsNamespaceFor } from './deploy-settings.js';
import { addResourceOutputs } from './resource-outputs.js';
import { addUrlOutputs } from './url-outputs.js';

export interface GatewayStackProps extends StackProps {
  /** The validated gateway configuration: `plans` become usage plans, `auth` configures the authorizer. */
  readonly config: GatewayConfig;
  /** The file `config` was read from; every function bundle carries a copy. */
  readonly configFile: string;
  /** The route table; defaults to the gateway's. */
  readonly routes?: readonly RouteSpec[];
  /** The API stage (default `prod`): the OpenAI base URL is `<stage URL>/v1` (output OpenAIBaseUrl). */
  readonly stage?: string;
  /** The CloudWatch namespace of this stack's metrics; default `metricsNamespaceFor(stackName)`. */
  readonly metricsNamespace?: string;
  /** Whether this stack sets the region's API Gateway CloudWatch role (default true; lib/deploy-settings.ts). */
  readonly apiGatewayAccount?: boolean;
}

const constructId = (fn: string): string =>
  `${fn
    .split('-')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('')}Function`;

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
  /** The API stage; the routes' `/v1/…` paths sit under it. */
  readonly stage: string;
  /** Where this stack's functions write their EMF metrics and its dashboard and alarms read them. */
  readonly metricsNamespace: string;
  /** Integration targets that reference a function by name (see `integrationTarget`), with the function. */
  private readonly byName = new Map<IFunction, GatewayFunction>();

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    assertDeadlinesFit(props.config, props.configFile);
    this.config = props.config;
    this.stage = props.stage ?? DEFAULT_STAGE;
    this.metricsNamespace = props.metricsNamespace ?? metricsNamespaceFor(this.stackName);
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
        metricsNamespace: this.metricsNamespace,
        ...(spec.files === undefined ? {} : { files: spec.files }),
        ...(spec.environment === undefined ? {} : { environment: spec.environment }),
        ...memoryOf(name, spec.memorySize, props.config.functions.chatMemoryMb),
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
    if (functions.has(AGGREGATOR_FUNCTION))
      feedLedgerAggregator(this.functionOf(AGGREGATOR_FUNCTION), this.tableOf(gatewayTable.id));

    this.api = createGatewayApi(this, {
      stage: this.stage,
      logRemovalPolicy: removal.logs,
      accountCloudWatchRole: props.apiGatewayAccount ?? true,
      cors: props.config.cors,
    });
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
      (access, route) => authorizationOf(access, route, authorizers, this.config.auth.cacheTtlSeconds),
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
    this.alarms = createGatewayAlarms(this, props.config.alarms, removal.data, requestPath, this.metricsNamespace);
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
            metricsNamespace: this.metricsNamespace,
          });
    createBudgetTopic(this, {
      bus: this.evaluationBus,
      removalPolicy: removal.data,
      emails: props.config.budgets?.email,
    });
    this.financeDashboard = new FinanceDashboard(this, 'FinanceDashboard', {
      config: props.config,
      chatLogGroup: functions.get('chat')?.logGroup,
      alarms: [
        this.alarms.errorRate,
        this.alarms.functionFailures,
        ...(this.alarms.hourlyCost === undefined ? [] : [this.alarms.hourlyCost]),
      ],
      metricsNamespace: this.metricsNamespace,
    });

    applyNagSuppressions(this);

    addUrlOutputs(this, this.api, this.stage);
    addResourceOutputs(this, {
      providerSecretArn: this.providerSecret.secretArn,
      tableName: this.tableOf(gatewayTable.id).tableName,
      dashboardName: this.financeDashboard.dashboardName,
      evaluationBusName: this.evaluationBus.eventBusName,
      alarmTopicArn: this.alarms.topic.topicArn,
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

/** The chat function's memory comes from the configuration (`functions.chatMemoryMb`); the others' from their spec. */
function memoryOf(name: FunctionName, specMb: number | undefined, chatMb: number): { memorySize?: number } {
  const memorySize = name === 'chat' ? chatMb : specMb;
  return memorySize === undefined ? {} : { memorySize };
}
