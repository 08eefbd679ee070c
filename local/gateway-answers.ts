import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { edgeErrorBody, type EdgeError } from '../lambdas/api/edge-errors.js';
import { SECURITY_HEADERS } from '../lambdas/core/http.js';
import { REQUEST_ID_HEADER, resolveRequestId } from '../lambdas/core/request-id.js';
import { edgeRetryAfter } from './edge.js';

// The answers the local server gives itself, as API Gateway would (gateway responses), in the OpenAI error shape.
export const tooLarge: EdgeError = {
  responseType: 'REQUEST_TOO_LARGE',
  status: 413,
  type: 'invalid_request_error',
  code: 'request_too_large',
  message: 'Request body exceeds the API Gateway limit of 10 MB.',
};
export const badRequestTarget: EdgeError = {
  responseType: 'BAD_REQUEST_PARAMETERS',
  status: 400,
  type: 'invalid_request_error',
  code: 'invalid_request_target',
  message: 'The request target is not a valid path.',
};
export const incompleteBody: EdgeError = {
  responseType: 'BAD_REQUEST_BODY',
  status: 400,
  type: 'invalid_request_error',
  code: 'incomplete_body',
  message: 'The request body ended before its announced length.',
};
/** What Node's HTTP parser refuses (bad header bytes, a broken chunk, a Content-Length lie): the status to answer. */
export const malformedRequest = (status: 400 | 408 | 431): EdgeError => ({
  responseType: 'BAD_REQUEST_PARAMETERS',
  status,
  type: 'invalid_request_error',
  code: status === 431 ? 'request_header_too_large' : status === 408 ? 'request_timeout' : 'malformed_request',
  message:
    status === 431
      ? 'The request headers are too large.'
      : status === 408
        ? 'The request took too long to arrive.'
        : 'The request is not valid HTTP/1.1.',
});

/**
 * A request Node's parser could not read is answered on the raw socket, in the same error shape as every other
 * answer (Node's own answer is a bare `400 Bad Request`), and the connection closed: what follows is not trusted.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  const error = malformedRequest(status);
  const body = edgeErrorBody(error);
  const headers = {
    'Content-Type': 'application/json',
    ...SECURITY_HEADERS,
    [REQUEST_ID_HEADER]: randomUUID(),
    Connection: 'close',
    'Content-Length': String(Buffer.byteLength(body)),
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Bad Request'}\r\n${head}\r\n${body}`);
}

export const badGateway: EdgeError = {
  responseType: 'DEFAULT_5XX',
  status: 502,
  type: 'api_error',
  code: 'bad_gateway',
  message: 'Internal server error',
};

/**
 * A response API Gateway itself would produce (a gateway response), in the OpenAI error shape. Unlike the
 * deployed stack, the local server can stamp it with X-Request-Id.
 */
export function gatewayResponse(
  res: ServerResponse,
  req: IncomingMessage,
  error: EdgeError,
  apiRequestId?: string,
  cors: Record<string, string> = {},
): void {
  const requestId = resolveRequestId(req.headers['x-request-id']?.toString(), apiRequestId);
  const retryAfter = edgeRetryAfter(error);
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    ...SECURITY_HEADERS,
    ...cors,
    [REQUEST_ID_HEADER]: requestId,
    ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }),
  });
  res.end(edgeErrorBody(error));
}
