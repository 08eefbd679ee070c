import { AccessLogField as F, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * One JSON object per request in the API's access log, including requests API Gateway answered itself (no Lambda
 * ran: errorType/errorMessage say why). `requestId` is the event's `requestContext.requestId` in the Lambda.
 */
export const accessLogFormat = (): AccessLogFormat =>
  AccessLogFormat.custom(
    JSON.stringify({
      requestId: F.contextRequestId(),
      extendedRequestId: F.contextExtendedRequestId(),
      requestTime: F.contextRequestTime(),
      ip: F.contextIdentitySourceIp(),
      userAgent: F.contextIdentityUserAgent(),
      httpMethod: F.contextHttpMethod(),
      resourcePath: F.contextResourcePath(),
      path: F.contextPath(),
      protocol: F.contextProtocol(),
      status: F.contextStatus(),
      responseLength: F.contextResponseLength(),
      responseLatency: F.contextResponseLatency(),
      integrationLatency: F.contextIntegrationLatency(),
      integrationStatus: F.contextIntegrationStatus(),
      integrationError: F.contextIntegrationErrorMessage(),
      errorType: F.contextErrorResponseType(),
      errorMessage: F.contextErrorMessage(),
      xrayTraceId: F.contextXrayTraceId(),
    }),
  );
