import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';

/**
 * The OpenAI error body for errors API Gateway answers itself (before any Lambda runs), so clients see one error
 * shape whoever answered. `messageString` is already a quoted JSON string.
 */
export const openAIErrorTemplate = (type: string): string =>
  '{"error":{"message":$context.error.messageString,' +
  `"type":"${type}","param":null,"code":"$context.error.responseType"}}`;

export const GATEWAY_ERROR_RESPONSES: readonly { readonly id: string; readonly type: ResponseType; readonly errorType: string }[] = [
  { id: 'Default4xx', type: ResponseType.DEFAULT_4XX, errorType: 'invalid_request_error' },
  { id: 'Default5xx', type: ResponseType.DEFAULT_5XX, errorType: 'api_error' },
];

export function addGatewayErrorResponses(api: RestApi): void {
  for (const response of GATEWAY_ERROR_RESPONSES) {
    api.addGatewayResponse(response.id, {
      type: response.type,
      templates: { 'application/json': openAIErrorTemplate(response.errorType) },
    });
  }
}
