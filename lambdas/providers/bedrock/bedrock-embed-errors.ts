import { GatewayError, type ErrorCode } from '../../core/errors.js';

/**
 * What an InvokeModel call of the embeddings threw (the AWS SDK's exceptions, by `name`, which the SDK sets even in a
 * minified bundle), mapped once to the gateway's error and so to the routing classes:
 *   ThrottlingException, ServiceQuotaExceededException, HTTP 429 → 429 upstream_rate_limited (retry; Retry-After kept)
 *   ModelNotReadyException, ServiceUnavailableException, InternalServerException, ModelErrorException, HTTP 5xx
 *     → 502 upstream_error (retry, then the next target)
 *   ModelTimeoutException, the SDK's TimeoutError → 504 upstream_timeout (retry)
 *   AccessDeniedException, a signature or credential error, no credentials → 502 provider_authentication_failed
 *     (the next target at once: the role lacks the model, or model access is not enabled)
 *   ResourceNotFoundException → 502 upstream_model_not_found (the next target at once)
 *   ValidationException, another 4xx → 400 upstream_bad_request with Bedrock's message (the request's fault)
 *   An answer the SDK could not parse → 502 upstream_invalid_response; no HTTP status at all → upstream_unreachable.
 * An abort (the client left, the router gave up on the try) is not mapped: the caller rethrows it as it is.
 * The chat provider maps Converse's errors alike in its own file (the lead may join the two at merge).
 */
interface AwsError {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Record<string, string | undefined> };
}

const isAwsError = (err: unknown): err is AwsError => err instanceof Error;

const RATE_LIMITED = new Set(['ThrottlingException', 'ServiceQuotaExceededException']);
const FAILED = new Set([
  'ModelNotReadyException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelErrorException',
]);
const TIMED_OUT = new Set(['ModelTimeoutException', 'TimeoutError']);
const DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'CredentialsProviderError',
]);

const failure = (message: string, code: ErrorCode, headers: Record<string, string> = {}): GatewayError =>
  new GatewayError({ message, code, headers });

function retryAfter(err: AwsError): Record<string, string> {
  const value = err.$response?.headers?.['retry-after'];
  return value === undefined ? {} : { 'Retry-After': value };
}

export function bedrockEmbedError(err: unknown, provider: string): GatewayError {
  if (err instanceof GatewayError) return err;
  if (!isAwsError(err)) return failure(`Provider ${provider} could not be reached or failed.`, 'upstream_unreachable');
  const { name } = err;
  const status = err.$metadata?.httpStatusCode;
  if (FAILED.has(name)) {
    return failure(`Provider ${provider} failed${status === undefined ? '' : ` (HTTP ${status})`}.`, 'upstream_error');
  }
  if (RATE_LIMITED.has(name) || status === 429) {
    return failure(`Provider ${provider} is rate limiting requests; retry later.`, 'upstream_rate_limited', {
      ...retryAfter(err),
    });
  }
  if (TIMED_OUT.has(name)) return failure(`Provider ${provider} did not answer in time.`, 'upstream_timeout');
  if (DENIED.has(name)) {
    return failure(
      `Provider ${provider} denied access to the model (check the role's Bedrock permissions and the model's access).`,
      'provider_authentication_failed',
    );
  }
  if (name === 'ResourceNotFoundException') {
    return failure(`Provider ${provider} does not know the configured model.`, 'upstream_model_not_found');
  }
  if (name === 'SyntaxError') {
    return failure(`Provider ${provider} sent an answer that is not valid JSON.`, 'upstream_invalid_response');
  }
  if (status !== undefined && status >= 500) {
    return failure(`Provider ${provider} failed${status === undefined ? '' : ` (HTTP ${status})`}.`, 'upstream_error');
  }
  if (name === 'ValidationException' || (status !== undefined && status >= 400)) {
    const message = err.message.slice(0, 2000);
    return failure(message === '' ? `Provider ${provider} rejected the request.` : message, 'upstream_bad_request');
  }
  return failure(`Provider ${provider} could not be reached or failed.`, 'upstream_unreachable');
}
