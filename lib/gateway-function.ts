import { posix } from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { BundledFile } from './function-specs.js';
import { handlerEntry, REPO_ROOT } from './paths.js';

/** The variable through which a function learns the ARN of the provider-key secret. */
export const PROVIDER_SECRET_ENV = 'PROVIDER_SECRET_ARN';

/** Bundled ESM has no `require`; CJS dependencies that call it get one. Aliased so it cannot clash with app code. */
const REQUIRE_BANNER =
  "import { createRequire as __gatewayCreateRequire } from 'node:module'; const require = __gatewayCreateRequire(import.meta.url);";

export interface GatewayFunctionProps {
  /** The function's name in the route table; its code is lambdas/handlers/<name>.ts exporting `handler`. */
  readonly name: string;
  /** The validated gateway.config.json, copied into the bundle (the runtime reads it from LAMBDA_TASK_ROOT). */
  readonly configFile: string;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly files?: readonly BundledFile[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
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
 * A gateway Lambda with the defaults fixed once: Node 22 on ARM64, X-Ray, ESM bundle with the AWS SDK inside and
 * source maps, Powertools settings, its own log group (one month) and its own role that may write only to that log
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
    super(scope, id, {
      entry: handlerEntry(props.name),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: posix.join(REPO_ROOT, 'package-lock.json'),
      description: `LLM Gateway: ${props.name}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'llm-gateway',
        POWERTOOLS_METRICS_NAMESPACE: 'LLMGateway',
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        mainFields: ['module', 'main'],
        banner: REQUIRE_BANNER,
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => copyIntoBundle(outputDir, props.configFile, files),
        },
      },
    });
    this.executionRole = role;
  }

  /** DescribeTable on this table only (readiness), and the table's name in `envVar`. */
  grantDescribeTable(table: Table, envVar: string): void {
    this.addEnvironment(envVar, table.tableName);
    this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [table.tableArn] }));
  }

  /** Reading the provider-key secret, and its ARN in PROVIDER_SECRET_ARN. */
  grantProviderSecretRead(secret: Secret): void {
    this.addEnvironment(PROVIDER_SECRET_ENV, secret.secretArn);
    secret.grantRead(this);
  }
}
