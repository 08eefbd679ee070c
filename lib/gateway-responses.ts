import { ResponseType, type RestApi } from 'aws-cdk-lib/aws-apigateway';
import { edgeErrorBody, edgeErrors, type EdgeError } from '../lambdas/api/edge-errors.js';

/**
 * The OpenAI error body for errors API Gateway answers itself (before any Lambda runs), so clients see one error
 * shape whoever answered. `messageString` is already a quoted JSON string.
 */
export const openAIErrorTemplate = (type: string): string =>
  '{"error":{"message":$context.error.messageString,' +
  `"type":"${type}","param":null,"code":"$context.error.responseType"}}`;

export const GATEWAY_ERROR_RESPONSES: readonly {
  readonly id: string;
  readonly type: ResponseType;
  readonly errorType: string;
}[] = [
  { id: 'Default4xx', type: ResponseType.DEFAULT_4XX, errorType: 'invalid_request_error' },
  { id: 'Default5xx', type: ResponseType.DEFAULT_5XX, errorType: 'api_error' },
];

/** A gateway response with a fixed status and body: one per edge error, plus the aliases below. */
export interface EdgeErrorResponse {
  readonly id: string;
  /** API Gateway's response type (may differ from `error.responseType` for an alias). */
  readonly responseType: string;
  readonly error: EdgeError;
}

const pascal = (responseType: string): string =>
  responseType
    .toLowerCase()
    .split('_')
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');

const edgeErrorResponse = (error: EdgeError, responseType: string = error.responseType): EdgeErrorResponse => ({
  id: pascal(responseType),
  responseType,
  error,
});

/**
 * Every edge error of lambdas/api/edge-errors.ts, and the other ways an IAM (SigV4) admin request fails at the edge:
 * a bad or expired signature answers like a missing one (403, admin_required), so no error names what was wrong.
 */
export const EDGE_ERROR_RESPONSES: readonly EdgeErrorResponse[] = [
  ...Object.values(edgeErrors).map((error) => edgeErrorResponse(error)),
  edgeErrorResponse(edgeErrors.adminRequired, 'INVALID_SIGNATURE'),
  edgeErrorResponse(edgeErrors.adminRequired, 'EXPIRED_TOKEN'),
];

/** The body as a mapping template: it must be literal, so it may not contain VTL syntax (`$`, `#`). */
function literalTemplate(error: EdgeError): string {
  const body = edgeErrorBody(error);
  if (/[$#]/.test(body))
    throw new Error(`Edge error ${error.responseType}: "$" and "#" are VTL syntax; reword ${body}`);
  return body;
}

export function addGatewayErrorResponses(api: RestApi): void {
  for (const response of GATEWAY_ERROR_RESPONSES) {
    api.addGatewayResponse(response.id, {
      type: response.type,
      templates: { 'application/json': openAIErrorTemplate(response.errorType) },
    });
  }
  for (const { id, responseType, error } of EDGE_ERROR_RESPONSES) {
    api.addGatewayResponse(id, {
      type: ResponseType.of(responseType),
      statusCode: String(error.status),
      responseHeaders: { 'Content-Type': "'application/json'" },
      templates: { 'application/json': literalTemplate(error) },
    });
  }
}
