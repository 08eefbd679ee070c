import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { GatewayRequest } from './types.js';

// Middy passes a handler only (event, context); the middlewares' per-request state is keyed on the event object,
// which lives exactly as long as the invocation.
const state = new WeakMap<APIGatewayProxyEvent, GatewayRequest>();

export const gatewayRequestOf = (event: APIGatewayProxyEvent): GatewayRequest | undefined => state.get(event);

export const setGatewayRequest = (event: APIGatewayProxyEvent, request: GatewayRequest): void => {
  state.set(event, request);
};

// Requests whose handler writes their own "request completed" line (chat; a stream's at its end): the access log
// line would repeat it.
const selfReported = new WeakSet<APIGatewayProxyEvent>();

/** The handler logs (or, for a stream, will log) the request's completion itself; the access log line is skipped. */
export const markSelfReported = (event: APIGatewayProxyEvent): void => {
  selfReported.add(event);
};

export const isSelfReported = (event: APIGatewayProxyEvent): boolean => selfReported.has(event);
