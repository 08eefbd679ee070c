/**
 * The gateway's one error type. Everything that leaves the API as an error is a GatewayError by the time the
 * error middleware renders it; anything else is treated as an internal error and rendered without detail.
 */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'service_unavailable';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export interface GatewayErrorInit {
  status: number;
  message: string;
  type: OpenAIErrorType;
  code?: string | null;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: string | null;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = init.status;
    this.type = init.type;
    this.code = init.code ?? null;
    this.param = init.param ?? null;
    this.headers = init.headers ?? {};
  }

  toBody(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** The same error with more response headers (the original as its cause). */
export const withHeaders = (error: GatewayError, headers: Record<string, string>): GatewayError =>
  new GatewayError({
    status: error.status,
    type: error.type,
    code: error.code,
    param: error.param,
    message: error.message,
    headers: { ...error.headers, ...headers },
    cause: error,
  });

export const badRequest = (message: string, code: string, param: string | null = null): GatewayError =>
  new GatewayError({ status: 400, type: 'invalid_request_error', message, code, param });

export const notFound = (message: string, code = 'not_found'): GatewayError =>
  new GatewayError({ status: 404, type: 'not_found_error', message, code });

export const methodNotAllowed = (method: string, allowed: readonly string[]): GatewayError =>
  new GatewayError({
    status: 405,
    type: 'invalid_request_error',
    message: `Method ${method} is not allowed here; use ${allowed.join(', ')}.`,
    code: 'method_not_allowed',
    headers: { Allow: allowed.join(', ') },
  });

export const unsupportedMediaType = (got: string | undefined): GatewayError =>
  new GatewayError({
    status: 415,
    type: 'invalid_request_error',
    message: `Content-Type must be application/json${got === undefined ? '' : `, got ${JSON.stringify(got.slice(0, 100))}`}.`,
    code: 'unsupported_media_type',
  });

export const payloadTooLarge = (limitBytes: number): GatewayError =>
  new GatewayError({
    status: 413,
    type: 'invalid_request_error',
    message: `Request body exceeds the limit of ${limitBytes} bytes.`,
    code: 'request_too_large',
  });

export const serviceUnavailable = (message: string, code: string): GatewayError =>
  new GatewayError({ status: 503, type: 'service_unavailable', message, code });

/** What a client sees for anything unexpected: no message, no stack, only the request id to quote. */
export const internalError = (cause: unknown): GatewayError =>
  new GatewayError({
    status: 500,
    type: 'api_error',
    message: 'The gateway failed to process the request. Quote the X-Request-Id header when reporting this.',
    code: 'internal_error',
    cause,
  });
