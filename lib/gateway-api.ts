import type { RemovalPolicy } from 'aws-cdk-lib';
import {
  ApiKeySourceType,
  EndpointType,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { accessLogFormat } from './access-log-format.js';
import { addGatewayErrorResponses } from './gateway-responses.js';

export const API_STAGE = 'v1';

/**
 * The REST API without routes: regional, stage `v1` with X-Ray, JSON access logs, ERROR execution logs and
 * metrics, gateway errors in the OpenAI error shape, and usage plans keyed on what the authorizer returns.
 */
export function createGatewayApi(scope: Construct, logRemovalPolicy: RemovalPolicy): RestApi {
  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
    retention: RetentionDays.ONE_MONTH,
    removalPolicy: logRemovalPolicy,
  });
  const api = new RestApi(scope, 'Api', {
    description: 'LLM Gateway: OpenAI-compatible API',
    endpointConfiguration: { types: [EndpointType.REGIONAL] },
    cloudWatchRole: true,
    // Usage plans meter the API key the authorizer returns (usageIdentifierKey), never one the client sends.
    apiKeySourceType: ApiKeySourceType.AUTHORIZER,
    deployOptions: {
      stageName: API_STAGE,
      tracingEnabled: true,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      accessLogFormat: accessLogFormat(),
      loggingLevel: MethodLoggingLevel.ERROR,
      dataTraceEnabled: false,
      metricsEnabled: true,
    },
  });
  addGatewayErrorResponses(api);
  return api;
}
