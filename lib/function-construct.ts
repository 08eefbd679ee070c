import { tmpdir } from 'node:os';
import { posix } from 'node:path';
import { Aws, Duration, Stack, Stage, type RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { EventBus } from 'aws-cdk-lib/aws-events';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  builtinAliasArgs,
  compileCacheCommands,
  FUNCTION_BUNDLING,
  FUNCTION_ENVIRONMENT,
  splitBundleCommand,
} from './function-bundle.js';
import type { BedrockStatement } from './bedrock-access.js';
import type { BundledFile, TableAccess } from './function-specs.js';
import { parsedConfigFile } from './parsed-config.js';
import { handlerEntry, REPO_ROOT } from './paths.js';
import { STACK_NAME_ENV } from '../lambdas/keys/stack-tag.js';
import type { TableDefinition } from '../lambdas/store/tables.js';

/** The variable through which a function learns the ARN of the provider-key secret. */
export const PROVIDER_SECRET_ENV = 'PROVIDER_SECRET_ARN';
/** The variable through which the chat function learns the evaluation bus (lambdas/observability/evaluation/evaluation-sinks.ts reads it). */
export const EVALUATION_BUS_ENV = 'EVALUATION_BUS_NAME';
/** The variable through which the admin function learns the usage plan of each plan: `{"<plan>": "<id>"}`. */
export const USAGE_PLAN_IDS_ENV = 'USAGE_PLAN_IDS';
export { METRICS_NAMESPACE, SERVICE_NAME } from './function-bundle.js';
/** The one wildcard resource besides X-Ray's: API keys the admin function may delete (ids exist only once created). */
export const API_KEYS_WILDCARD = '/apikeys/*';
/** Tagging on create (the API keys' stack tag) is authorized as apigateway:PUT on the tags of the new key. */
export const TAGS_WILDCARD = '/tags/*';

export interface GatewayFunctionProps {
  /** The function's name in the route table; its code is lambdas/handlers/<name>.ts exporting `handler`. */
  readonly name: string;
  /**
   * The gateway.config.json; its parsed form (lib/parsed-config.ts) is copied into the bundle, where the runtime reads
   * it from LAMBDA_TASK_ROOT without zod.
   */
  readonly configFile: string;
  readonly logRemovalPolicy: RemovalPolicy;
  /** The stack's CloudWatch namespace of the EMF metrics (POWERTOOLS_METRICS_NAMESPACE). */
  readonly metricsNamespace: string;
  readonly files?: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  /** Where Lambda sends the events of asynchronous invocations that failed every retry (SendMessage is granted). */
  readonly deadLetterQueue?: IQueue;
}

const shellQuote = (value: string): string => `'${value.replaceAll("'", "'\\''")}'`;

/** Shell commands copying the configuration and the extra files into the bundle directory (local bundling). */
export function copyIntoBundle(outputDir: string, configFile: string, files: readonly BundledFile[]): string[] {
  const copies: BundledFile[] = [{ from: configFile, to: 'gateway.config.json' }, ...files];
  const dirs = [...new Set(copies.map((file) => posix.dirname(posix.join(outputDir, file.to))))];
  return [
    ...dirs.map((dir) => `mkdir -p ${shellQuote(dir)}`),
    ...copies.map((file) => `cp ${shellQuote(file.from)} ${shellQuote(posix.join(outputDir, file.to))}`),
  ];
}

/**
 * A gateway Lambda with the defaults fixed once: Node 22 on ARM64, X-Ray, ESM bundle split into an entry and chunks
 * loaded on first use (NodejsFunction's single file is rebuilt with splitting after bundling, lib/split-bundle.mjs),
 * with the AWS SDK inside and source maps (read on an error only), a V8 compile cache when this machine is ARM64 (lib/function-bundle.ts), Powertools settings, its own log group (one month) and its own role that may write only to that log
 * group. Everything else is granted explicitly through the helpers below.
 */
export class GatewayFunction extends NodejsFunction {
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: GatewayFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the LLM Gateway "${props.name}" function`,
      inlinePolicies: {
        logs: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
              resources: [logGroup.logGroupArn],
            }),
          ],
        }),
      },
    });
    const files = props.files ?? [];
    const configFile = parsedConfigFile(props.configFile, Stage.of(scope)?.outdir ?? tmpdir());
    const architecture = Architecture.ARM_64;
    const entry = handlerEntry(props.name);
    super(scope, id, {
      entry,
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: posix.join(REPO_ROOT, 'package-lock.json'),
      description: `LLM Gateway: ${props.name}`,
      runtime: Runtime.NODEJS_22_X,
      architecture,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      ...(props.deadLetterQueue === undefined ? {} : { deadLetterQueue: props.deadLetterQueue }),
      role,
      logGroup,
      environment: {
        ...FUNCTION_ENVIRONMENT,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: FUNCTION_BUNDLING.target,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        sourcesContent: FUNCTION_BUNDLING.sourcesContent,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        banner: FUNCTION_BUNDLING.banner,
        esbuildArgs: { '--alias': builtinAliasArgs() },
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [
            splitBundleCommand(entry, outputDir),
            ...copyIntoBundle(outputDir, configFile, files),
            ...compileCacheCommands(outputDir, architecture.name),
          ],
        },
      },
    });
    this.executionRole = role;
  }

  /**
   * The table's name in `envVar`, and exactly the access `access` names: DescribeTable and item actions on the table,
   * Query on the table and on each of its indexes by name (no `index/*` wildcard).
   */
  grantTableAccess(table: Table, definition: TableDefinition, access: TableAccess): void {
    this.addEnvironment(definition.envVar, table.tableName);
    if (access.describe === true) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
    }
    if (access.items !== undefined && access.items.length > 0) {
      this.addToRolePolicy(new PolicyStatement({ actions: [...access.items], resources: [table.tableArn] }));
    }
    if (access.itemsUnder !== undefined && access.itemsUnder.actions.length > 0) {
      this.addToRolePolicy(
        new PolicyStatement({
          actions: [...access.itemsUnder.actions],
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': access.itemsUnder.prefixes.map((prefix) => `${prefix}*`),
            },
          },
        }),
      );
    }
    if (access.query !== undefined && access.query !== false) {
      const all = definition.globalIndexes.map((index) => index.indexName);
      const names = access.query === true ? all : access.query.indexes;
      const unknown = names.filter((name) => !all.includes(name));
      if (unknown.length > 0) throw new Error(`Table ${definition.id} has no index ${unknown.join(', ')}`);
      const indexes = names.map((name) => `${table.tableArn}/index/${name}`);
      this.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn, ...indexes] }),
      );
    }
  }

  /**
   * Managing the usage-plan API keys: create API keys, associate them with the given usage plans (and no other), and
   * delete API keys (the key id is only known once created, so DELETE cannot be narrower than `/apikeys/*`).
   * `USAGE_PLAN_IDS` carries `{"<plan>": "<usage plan id>"}`; `STACK_NAME` the stack's name, the value of the
   * `llm-gateway:stack` tag each new API key gets (tagging on create: apigateway:PUT on its tags).
   */
  grantUsagePlanKeys(usagePlanIds: Readonly<Record<string, string>>): void {
    const stack = Stack.of(this);
    this.addEnvironment(USAGE_PLAN_IDS_ENV, stack.toJsonString(usagePlanIds));
    this.addEnvironment(STACK_NAME_ENV, stack.stackName);
    const apigateway = `arn:${Aws.PARTITION}:apigateway:${Aws.REGION}::`;
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['apigateway:POST'],
        resources: [
          `${apigateway}/apikeys`,
          ...Object.values(usagePlanIds).map((id) => `${apigateway}/usageplans/${id}/keys`),
        ],
      }),
    );
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [`${apigateway}${API_KEYS_WILDCARD}`] }),
    );
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['apigateway:PUT'], resources: [`${apigateway}${TAGS_WILDCARD}`] }),
    );
  }

  /** PutEvents on `bus` only, and its name in EVALUATION_BUS_NAME. */
  grantEvaluationEvents(bus: EventBus): void {
    this.addEnvironment(EVALUATION_BUS_ENV, bus.eventBusName);
    bus.grantPutEventsTo(this);
  }

  /** Reading the provider-key secret, and its ARN in PROVIDER_SECRET_ARN. */
  grantProviderSecretRead(secret: Secret): void {
    this.addEnvironment(PROVIDER_SECRET_ENV, secret.secretArn);
    secret.grantRead(this);
  }

  /** The Bedrock statements of lib/bedrock-access.ts, as they are (no statement when there is none). */
  grantBedrock(statements: readonly BedrockStatement[]): void {
    for (const statement of statements) {
      this.addToRolePolicy(
        new PolicyStatement({
          sid: statement.sid,
          actions: [...statement.actions],
          resources: [...statement.resources],
          ...(statement.condition === undefined ? {} : { conditions: statement.condition }),
        }),
      );
    }
  }
}
