import type { RemovalPolicy } from 'aws-cdk-lib';
import { EndpointType, LogGroupLogDestination, MethodLoggingLevel, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { accessLogFormat } from './access-log-format.js';
import { addGatewayErrorResponses } from './gateway-responses.js';

export const API_STAGE = 'v1';

/**
 * The REST API without routes: regional, stage `v1` with X-Ray, JSON access logs, ERROR execution logs and
 * metrics, and gateway errors in the OpenAI error shape.
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
