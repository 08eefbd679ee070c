import { GatewayError, type ErrorCode } from '../../core/errors.js';

/**
 * What a Bedrock call threw (the AWS SDK's exceptions, by their `name`: the SDK sets it, minified or not), or an
 * exception event of a ConverseStream, mapped once to the gateway's error and so to the routing classes:
 *   ThrottlingException, ServiceQuotaExceededException → 429 upstream_rate_limited (retry; Retry-After kept if sent)
 *   ModelNotReadyException → 502 upstream_model_not_ready (retry, then the next target)
 *   ServiceUnavailableException, InternalServerException, ModelErrorException, ModelStreamErrorException
 *     → 502 upstream_error (retry, then the next target)
 *   ModelTimeoutException, a request timeout → 504 upstream_timeout (retry)
 *   ConflictException → 502 upstream_conflict (retry)
 *   AccessDeniedException, the signature/credential errors, no credentials at all → 502
 *     provider_authentication_failed (next target at once; counts against the breaker: misconfiguration)
 *   ResourceNotFoundException → 502 upstream_model_not_found (next target at once)
 *   ValidationException → 400 upstream_bad_request with Bedrock's message (the request's fault: ends it), except one
 *     saying the model lacks a feature (tool use, streaming tool use, structured output, images, documents, a
 *     parameter…): 400 upstream_feature_unsupported, `refused` — another target of the alias may serve it; and one
 *     saying the model id needs an inference profile ("on-demand throughput isn't supported"): the target's
 *     misconfiguration, 502 upstream_model_not_found (next target at once, counts against the breaker).
 *   An answer the SDK could not parse → 502 upstream_invalid_response.
 *   Anything else without an HTTP status (connection refused or reset) → 502 upstream_unreachable.
 * A guardrail's intervention is not an error: a 200 with stopReason guardrail_intervened (bedrock-usage.ts).
 */
interface AwsError {
  readonly name: string;
  readonly message: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: { readonly headers?: Record<string, string | undefined> };
}

const isAwsError = (err: unknown): err is AwsError =>
  err instanceof Error && typeof (err as { name?: unknown }).name === 'string';

const FEATURE_UNSUPPORTED = /(does ?n[o'\u2019]t support|is ?n[o'\u2019]t supported|not supported|unsupported)/i;
/** A model id that must be called through an inference profile: the target is misconfigured, not the request. */
const NEEDS_PROFILE = /on-demand throughput is ?n[o'\u2019]t supported/i;

const AUTH_ERRORS = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
  'CredentialsProviderError',
]);

const failure = (message: string, code: ErrorCode, headers: Record<string, string> = {}): GatewayError =>
  new GatewayError({ message, code, headers });

function retryAfter(err: AwsError): Record<string, string> {
  const value = err.$response?.headers?.['retry-after'];
  return value === undefined ? {} : { 'Retry-After': value };
}

/** The exception names of ConverseStream's exception events (lowerCamel member names) → the SDK's class names. */
export const exceptionName = (member: string): string => member.charAt(0).toUpperCase() + member.slice(1);

export function bedrockError(err: unknown, provider: string): GatewayError {
  if (err instanceof GatewayError) return err;
  if (!isAwsError(err)) return failure(`Provider ${provider} could not be reached or failed.`, 'upstream_unreachable');
  const name = err.name;
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException') {
    return failure(`Provider ${provider} is rate limiting requests; retry later.`, 'upstream_rate_limited', {
      ...retryAfter(err),
    });
  }
  if (name === 'ModelNotReadyException') {
    return failure(`Provider ${provider}'s model is not ready to serve yet; retry.`, 'upstream_model_not_ready');
  }
  if (name === 'ModelTimeoutException' || name === 'TimeoutError') {
    return failure(`Provider ${provider} did not answer in time.`, 'upstream_timeout');
  }
  if (name === 'SyntaxError') {
    return failure(`Provider ${provider} sent an answer that is not a valid completion.`, 'upstream_invalid_response');
  }
  if (name === 'ConflictException')
    return failure(`Provider ${provider} reported a conflict; retry.`, 'upstream_conflict');
  if (AUTH_ERRORS.has(name)) {
    return failure(
      `Provider ${provider} denied access to the model (check the role's Bedrock permissions and the model's access).`,
      'provider_authentication_failed',
    );
  }
  if (name === 'ResourceNotFoundException') {
    return failure(`Provider ${provider} does not know the configured model.`, 'upstream_model_not_found');
  }
  if (name === 'ValidationException') {
    const message = err.message.slice(0, 2000);
    if (NEEDS_PROFILE.test(message)) {
      return failure(
        `Provider ${provider} cannot invoke the configured model id on demand: configure its inference profile (ID or ARN).`,
        'upstream_model_not_found',
      );
    }
    return FEATURE_UNSUPPORTED.test(message)
      ? failure(`Provider ${provider}'s model cannot serve this request: ${message}`, 'upstream_feature_unsupported')
      : failure(message === '' ? `Provider ${provider} rejected the request.` : message, 'upstream_bad_request');
  }
  const status = err.$metadata?.httpStatusCode;
  const known = ['ServiceUnavailableException', 'InternalServerException', 'ModelErrorException'];
  if (known.includes(name) || name === 'ModelStreamErrorException' || (status !== undefined && status >= 500)) {
    return failure(`Provider ${provider} failed${status === undefined ? '' : ` (HTTP ${status})`}.`, 'upstream_error');
  }
  if (status === undefined)
    return failure(`Provider ${provider} could not be reached or failed.`, 'upstream_unreachable');
  if (status === 429)
    return failure(`Provider ${provider} is rate limiting requests; retry later.`, 'upstream_rate_limited');
  return failure(`Provider ${provider} rejected the request (HTTP ${status}).`, 'upstream_bad_request');
}
