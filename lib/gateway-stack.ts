import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { LambdaIntegration, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { routes as defaultRoutes, type FunctionName, type RouteSpec } from '../lambdas/api/routes.js';
import type { GatewayConfig } from '../lambdas/config/schema.js';
import { addRoutes, functionNames, type RouteMethod } from './api-routes.js';
import { createTable } from './dynamo-tables.js';
import { createGatewayApi } from './gateway-api.js';
import { GatewayFunction } from './gateway-function.js';
import { functionSpecs } from './function-specs.js';
import { applyNagSuppressions } from './nag-suppressions.js';
import { createProviderSecret } from './provider-secret.js';
import { REMOVAL_POLICY_CONTEXT_KEY, removalPolicies } from './removal-policy.js';
import { gatewayTable, tables as tableDefinitions } from './tables.js';

export interface GatewayStackProps extends StackProps {
  /** The validated gateway configuration (later capabilities read `plans` from it). */
  readonly config: GatewayConfig;
  /** The file `config` was read from; every function bundle carries a copy. */
  readonly configFile: string;
  /** The route table; defaults to the gateway's. */
  readonly routes?: readonly RouteSpec[];
}

const constructId = (fn: string): string => `${fn.charAt(0).toUpperCase()}${fn.slice(1)}Function`;

/** The LLM Gateway: REST API → one Lambda per function of the route table, DynamoDB, the provider-key secret. */
export class GatewayStack extends Stack {
  readonly config: GatewayConfig;
  readonly api: RestApi;
  readonly tables: ReadonlyMap<string, Table>;
  readonly providerSecret: Secret;
  readonly functions: ReadonlyMap<FunctionName, GatewayFunction>;
  /** Every API method the stack created, with the function serving it. */
  readonly routeMethods: readonly RouteMethod[];

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    this.config = props.config;
    const routeTable = props.routes ?? defaultRoutes;
    const removal = removalPolicies(this.node.tryGetContext(REMOVAL_POLICY_CONTEXT_KEY));

    this.tables = new Map(tableDefinitions.map((def) => [def.id, createTable(this, def, removal.data)]));
    this.providerSecret = createProviderSecret(this, removal.data);

    const functions = new Map<FunctionName, GatewayFunction>();
    for (const name of functionNames(routeTable)) {
      const spec = functionSpecs[name];
      const fn = new GatewayFunction(this, constructId(name), {
        name,
        configFile: props.configFile,
        logRemovalPolicy: removal.logs,
        ...(spec.files === undefined ? {} : { files: spec.files }),
        ...(spec.environment === undefined ? {} : { environment: spec.environment }),
      });
      if (spec.table === 'describe') {
        for (const def of tableDefinitions) fn.grantDescribeTable(this.tableOf(def.id), def.envVar);
      }
      if (spec.providerSecret === 'read') fn.grantProviderSecretRead(this.providerSecret);
      functions.set(name, fn);
    }
    this.functions = functions;

    this.api = createGatewayApi(this, removal.logs);
    const integrations = new Map<FunctionName, LambdaIntegration>();
    this.routeMethods = addRoutes(this.api, routeTable, (name) => {
      let integration = integrations.get(name);
      if (integration === undefined) {
        // One invoke permission per function for the whole API, not one per method (Lambda policies max 20 KB).
        integration = new LambdaIntegration(this.functionOf(name), { scopePermissionToMethod: false });
        integrations.set(name, integration);
      }
      return integration;
    });

    applyNagSuppressions(this);

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the gateway API (stage v1)' });
    new CfnOutput(this, 'ProviderSecretArn', {
      value: this.providerSecret.secretArn,
      description: 'Put the provider keys here: a JSON object {"<provider>": "<key>"}',
    });
    new CfnOutput(this, 'TableName', { value: this.tableOf(gatewayTable.id).tableName });
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
}
