import { ERROR_CODES, type ErrorCode, type ErrorCodeOfStatus, type OpenAIErrorType } from './error-codes.js';

export type { ErrorCode, OpenAIErrorType } from './error-codes.js';

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: string | null };
}

export interface GatewayErrorInit {
  code: ErrorCode;
  message: string;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

/**
 * The gateway's one error type. Everything that leaves the API as an error is a GatewayError by the time the
 * error middleware renders it; anything else is treated as an internal error and rendered without detail.
 * Its status and type are its code's (ERROR_CODES).
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: GatewayErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'GatewayError';
    this.status = ERROR_CODES[init.code].status;
    this.type = ERROR_CODES[init.code].type;
    this.code = init.code;
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
    code: error.code,
    param: error.param,
    message: error.message,
    headers: { ...error.headers, ...headers },
    cause: error,
  });

export const badRequest = (message: string, code: ErrorCodeOfStatus<400>, param: string | null = null): GatewayError =>
  new GatewayError({ message, code, param });

export const notFound = (message: string, code: ErrorCodeOfStatus<404> = 'not_found'): GatewayError =>
  new GatewayError({ message, code });

export const methodNotAllowed = (method: string, allowed: readonly string[]): GatewayError =>
  new GatewayError({
    message: `Method ${method} is not allowed here; use ${allowed.join(', ')}.`,
    code: 'method_not_allowed',
    headers: { Allow: allowed.join(', ') },
  });

export const unsupportedMediaType = (got: string | undefined): GatewayError =>
  new GatewayError({
    message: `Content-Type must be application/json${got === undefined ? '' : `, got ${JSON.stringify(got.slice(0, 100))}`}.`,
    code: 'unsupported_media_type',
  });

export const payloadTooLarge = (limitBytes: number): GatewayError =>
  new GatewayError({
    message: `Request body exceeds the limit of ${limitBytes} bytes.`,
    code: 'request_too_large',
  });

export const serviceUnavailable = (message: string, code: ErrorCodeOfStatus<503>): GatewayError =>
  new GatewayError({ message, code });

/** What a client sees for anything unexpected: no message, no stack, only the request id to quote. */
export const internalError = (cause: unknown): GatewayError =>
  new GatewayError({
    message: 'The gateway failed to process the request. Quote the X-Request-Id header when reporting this.',
    code: 'internal_error',
    cause,
  });
