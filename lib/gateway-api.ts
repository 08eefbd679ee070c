import { Aspects, Stack, Tokenization, type IAspect, type RemovalPolicy } from 'aws-cdk-lib';
import {
  ApiKeySourceType,
  CfnGatewayResponse,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { edgeCorsParameters } from '../lambdas/api/cors.js';
import type { CorsConfig } from '../lambdas/config/cors-schema.js';
import { SECURITY_HEADERS } from '../lambdas/core/http.js';
import { accessLogFormat } from './access-log-format.js';
import { addGatewayErrorResponses } from './gateway-responses.js';

/**
 * The security headers (lambdas/core/http.ts) and, while CORS is on, the CORS headers (lambdas/api/cors.ts
 * edgeCorsParameters) on every gateway response of the API, whichever code adds it: the functions stamp their own
 * responses, API Gateway's own answers (401/403/429/413, DEFAULT_4XX/5XX) get them here.
 */
const headersOnGatewayResponses = (cors: CorsConfig): IAspect => ({
  visit(node) {
    if (!(node instanceof CfnGatewayResponse)) return;
    const stamped = {
      ...Object.fromEntries(
        Object.entries(SECURITY_HEADERS).map(([name, value]) => [`gatewayresponse.header.${name}`, `'${value}'`]),
      ),
      ...edgeCorsParameters(cors),
    };
    const existing = node.responseParameters;
    if (Tokenization.isResolvable(existing))
      throw new Error(`gateway response ${node.node.path}: responseParameters must be literal`);
    node.responseParameters = { ...existing, ...stamped };
  },
});

export interface GatewayApiOptions {
  /** The stage name (lib/deploy-settings.ts; `prod` by default): the routes' `/v1/…` paths sit under it. */
  readonly stage: string;
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * Create the role API Gateway writes execution logs with and set it as the region's account-wide CloudWatch role
   * (`AWS::ApiGateway::Account`, left in place on delete). false: the account's current setting is used as it is.
   */
  readonly accountCloudWatchRole: boolean;
  /** CORS for browser apps: API Gateway's own answers carry its headers too. */
  readonly cors: CorsConfig;
}

/**
 * The REST API without routes: regional, one stage with X-Ray, JSON access logs, ERROR execution logs and
 * metrics, gateway errors in the OpenAI error shape, and usage plans keyed on what the authorizer returns.
 */
export function createGatewayApi(scope: Construct, options: GatewayApiOptions): RestApi {
  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: options.logRemovalPolicy,
  });
  const api = new RestApi(scope, 'Api', {
    // Named after the stack: stacks side by side are told apart in the console.
    restApiName: Stack.of(scope).stackName,
    description: 'LLM Gateway: OpenAI-compatible API',
    endpointConfiguration: { types: [EndpointType.REGIONAL] },
    cloudWatchRole: options.accountCloudWatchRole,
    // Usage plans meter the API key the authorizer returns (usageIdentifierKey), never one the client sends.
    apiKeySourceType: ApiKeySourceType.AUTHORIZER,
    deployOptions: {
      stageName: options.stage,
      tracingEnabled: true,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      accessLogFormat: accessLogFormat(),
      loggingLevel: MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
    },
  });
  addGatewayErrorResponses(api);
  Aspects.of(api).add(headersOnGatewayResponses(options.cors));
  return api;
}
